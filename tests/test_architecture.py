"""The house's floors: no import circle, and no import from a lower floor to a higher one.

Every module under ``src/bilat`` is parsed with ``ast``; every ``import`` and ``from ... import``
counts, at module level or inside a function (a lazy import is still a dependency). The floors are
drawn in ``docs/architecture.md``; ``FLOORS`` below is the same picture as data.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "bilat"

# From the ground up. A name is a package (with everything under it) or one module; a module
# belongs to the longest name that covers it. A module may import its own unit and any unit on a
# lower floor; the units of one floor are siblings and never import each other.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground", ("bilat.errors", "bilat.model", "bilat.evaluation")),
    ("settings", ("bilat.config",)),
    ("stages", ("bilat.ingest", "bilat.clean", "bilat.nlp", "bilat.quantities")),
    ("actors", ("bilat.actors",)),
    ("events", ("bilat.events",)),
    ("pipeline and store", ("bilat.pipeline", "bilat.store")),
    ("engines and corpus", ("bilat.engines", "bilat.corpus")),
    ("public face", ("bilat",)),
    ("request ground", ("bilat.api.deps", "bilat.api.security")),
    ("edges", ("bilat.api", "bilat.web")),
    ("server", ("bilat.server",)),
    ("cli", ("bilat.cli",)),
)


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(module: str, tree: ast.AST, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every dotted name a module imports, absolute, with its line; ``from X import y`` gives ``X.y``
    (a submodule, or a name in X: the caller keeps the longest that is a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[:len(package) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                yield f"{source}.{alias.name}", node.lineno


def import_graph(src: Path = SRC) -> dict[str, dict[str, int]]:
    """module → {module it imports: first line}, for the modules of ``bilat`` only."""
    files = {module_name(p, src): p for p in sorted((src / ROOT).rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges: dict[str, int] = {}
        for name, line in imported_names(module, tree, path.name == "__init__.py"):
            while name and name not in files:  # bilat.store.queries.Filters -> bilat.store.queries
                name = name.rpartition(".")[0]
            if name and name != module:
                edges.setdefault(name, line)
        graph[module] = edges
    return graph


def cycles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def unit_of(module: str) -> str | None:
    """The longest name of ``FLOORS`` that covers the module (the root package covers only itself)."""
    names = [name for _, names in FLOORS for name in names
             if module == name or (name != ROOT and module.startswith(name + "."))]
    return max(names, key=len, default=None)


FLOOR_OF = {name: level for level, (_, names) in enumerate(FLOORS) for name in names}


def floor_breaches(graph: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Each import that goes up a floor, or sideways to a sibling on the same floor."""
    breaches = []
    for module, edges in sorted(graph.items()):
        unit = unit_of(module)
        for target, line in sorted(edges.items()):
            other = unit_of(target)
            if unit is None or other is None or other == unit:
                continue
            if FLOOR_OF[other] > FLOOR_OF[unit]:
                breaches.append(f"{module}:{line} imports {target}: {FLOORS[FLOOR_OF[unit]][0]!r} "
                                f"is below {FLOORS[FLOOR_OF[other]][0]!r}")
            elif FLOOR_OF[other] == FLOOR_OF[unit]:
                breaches.append(f"{module}:{line} imports {target}: siblings on {FLOORS[FLOOR_OF[unit]][0]!r}")
    return breaches


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    return import_graph()


def test_every_module_stands_on_a_floor(graph):
    assert [m for m in graph if unit_of(m) is None] == []
    assert len(FLOOR_OF) == sum(len(names) for _, names in FLOORS), "a name is on two floors"


def test_no_import_circle(graph):
    found = cycles(graph)
    details = [" -> ".join(c) + "; " + ", ".join(f"{a} imports {b} (line {graph[a][b]})"
                                                 for a in c for b in graph[a] if b in c) for c in found]
    assert details == []


def test_no_import_goes_up_a_floor_or_to_a_sibling(graph):
    assert floor_breaches(graph) == []


def test_the_walk_finds_lazy_imports_and_circles(tmp_path):
    """The checks can fail: an import inside a function that runs back up, and a circle."""
    package = tmp_path / ROOT
    (package / "store").mkdir(parents=True)
    (package / "cli").mkdir()
    (package / "__init__.py").write_text("")
    (package / "store" / "__init__.py").write_text("")
    (package / "cli" / "__init__.py").write_text("")
    (package / "store" / "writer.py").write_text("def f():\n    from ..cli import main\n")
    (package / "cli" / "main.py").write_text("from ..store.writer import f\n")
    graph = import_graph(tmp_path)
    assert graph["bilat.store.writer"] == {"bilat.cli.main": 2}
    assert cycles(graph) == [["bilat.cli.main", "bilat.store.writer"]]
    assert floor_breaches(graph) == ["bilat.store.writer:2 imports bilat.cli.main: 'pipeline and store' is below 'cli'"]


def test_the_drawing_names_every_floor():
    text = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for floor, names in FLOORS:
        assert f"| {floor} |" in text, floor
        for name in names:
            assert name.replace(".", "/").removeprefix("bilat/") in text or name == ROOT, name


def test_test_modules_have_unique_names():
    """pytest imports test modules by their basename (no packages under tests/): two files of one name in
    two folders stop the whole run at collection."""
    tests = Path(__file__).resolve().parent
    names: dict[str, list[str]] = {}
    for path in tests.rglob("test_*.py"):
        names.setdefault(path.name, []).append(str(path.relative_to(tests)))
    assert not {n: p for n, p in names.items() if len(p) > 1}
