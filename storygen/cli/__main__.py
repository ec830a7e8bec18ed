"""`python -m storygen.cli`: the storygen command, for environments without the console script."""
from .main import main

if __name__ == "__main__":  # pragma: no cover
    main()
