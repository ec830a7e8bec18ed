"""Scene layout: which entities are drawn and how big (select.py, sizes.py), what they wear or
hold (attire.py), what each spatial relation means on screen (geometry.py), the constraint
optimiser (solver.py), and the two scene backends: `solver` (solver_backend.py) and the rule-based
baseline `basic` (basic.py)."""
