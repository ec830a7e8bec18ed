"""The house rules of the code, read from the source: no import circles among storygen's modules
(imports inside functions included), every module under 400 lines and saying its job in a
docstring. Read with ast rather than by importing, so a lazy import counts as much as a top one."""
import ast
from pathlib import Path



ROOT = Path(__file__).resolve().parent.parent / "storygen"
MAX_LINES = 400


def module_names(root: Path = ROOT) -> dict[str, Path]:
    out = {}
    for f in sorted(root.rglob("*.py")):
        parts = f.relative_to(root.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The storygen modules `name` imports anywhere in its source (a package counts as its
    __init__; `from pkg import mod` as the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                found.add(target)
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]; counter[0] += 1
        stack.append(start); on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]; counter[0] += 1
                    stack.append(nxt); on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        top = stack.pop(); on_stack.discard(top); comp.append(top)
                        if top == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_no_import_circles():
    found = circles(import_graph())
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_circle_finder_finds_a_circle_and_a_lazy_import(tmp_path):
    pkg = tmp_path / "storygen"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import c\n")
    (pkg / "c.py").write_text("import storygen.a\n")
    (pkg / "d.py").write_text("from .a import x\n")
    assert circles(import_graph(pkg)) == [["storygen.a", "storygen.c", "storygen.sub.b"]]


def test_every_module_is_under_400_lines_and_says_its_job():
    long = {n: len(p.read_text().splitlines()) for n, p in module_names().items()}
    assert not {n: k for n, k in long.items() if k > MAX_LINES}
    silent = [n for n, p in module_names().items()
              if p.read_text().strip() and not ast.get_docstring(ast.parse(p.read_text()))]
    assert not silent, f"modules without a docstring saying their job: {silent}"


def test_the_leaves_import_no_stage():
    # errors, records and io are read by every stage; one that imported a stage would tie them all.
    graph = import_graph()
    leaves = [n for n in graph if n in ("storygen.errors", "storygen.io", "storygen.registry", "storygen.backends",
                                         "storygen.book_paths", "storygen.console") or n.startswith("storygen.records")]
    allowed = {"storygen.errors", "storygen.io", "storygen.registry"}
    for leaf in leaves:
        assert graph[leaf] <= allowed | {m for m in graph if m.startswith("storygen.records")}, leaf
