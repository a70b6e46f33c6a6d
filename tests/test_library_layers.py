"""The library's packages form a ladder: each imports only packages on lower rungs, at the top
of a module, inside a function or for type checking alike, so no package imports one that
imports it back (read from the source, so a new back edge fails here, before review).

The rungs, lowest first, and why each sits where it does:

0. ``i18n``, ``numbers``, ``vietnamese``, ``units``: text, numbers and the administrative
   units, depending on nothing of chiso.
1. ``messages``: the catalogue of problem texts (through ``i18n``).
2. ``problems``: the report every reader fills.
3. ``yamlfiles``, ``office``: the two file formats read below any meaning: YAML with its
   lines, and Word and Excel files opened within bounds (``office``: sizes, ratio, parts,
   elements, depth, rows, cells, merged cells).
4. ``frameworks``: criteria trees as data, the metric of a data leaf and the dossier schema
   it names (records follow the frameworks' words, never the reverse).
5. ``scoring``: aggregation, ranks and groups of a framework's points.
6. ``tables``: users' tables in and results out, criteria tables in Word and Excel included
   (they make frameworks from tables, so they sit above the frameworks).
7. ``records``, ``surveys``, ``analysis``, ``archive``: the uses of scored tables, apart.
8. ``reports``, ``simulation``: what renders or simulates from those below.
9. ``web``; 10. ``cli``: the two front ends (``chiso serve`` starts the web application).
"""

from __future__ import annotations

import ast
from pathlib import Path

import chiso

SRC = Path(chiso.__file__).parent

LADDER: tuple[frozenset[str], ...] = tuple(
    frozenset(rung.split())
    for rung in (
        "i18n numbers vietnamese units",
        "messages",
        "problems",
        "yamlfiles office environment",
        "frameworks",
        "scoring",
        "tables",
        "records surveys analysis archive",
        "reports simulation",
        "web",
        "cli",
    )
)
RUNG = {package: level for level, rung in enumerate(LADDER) for package in rung}


def _package(module: str) -> str | None:
    """The package of a chiso module: its name's second part (``chiso.tables.reading`` →
    ``tables``; ``chiso.i18n`` → ``i18n``); None for ``chiso`` itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "chiso" else None


def _module_of(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """Every chiso module ``path`` names in an import, wherever the import stands (the AST is
    walked whole: function bodies and ``if TYPE_CHECKING`` blocks included); relative imports
    resolved."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
    return {name for name in found if name == "chiso" or name.startswith("chiso.")}


def package_graph() -> dict[str, dict[str, list[str]]]:
    """package → imported package → the modules that import it (for the failure message)."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = _package(_module_of(path))
        if source is None:
            continue
        graph.setdefault(source, {})
        for name in _imported(path):
            target = _package(name)
            if target is not None and target != source:
                graph[source].setdefault(target, []).append(_module_of(path))
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one package (Tarjan's algorithm,
    written with an explicit stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def test_no_library_package_imports_one_that_imports_it_back() -> None:
    graph = package_graph()
    cycles = _cycles(graph)
    details = [
        f"{a} → {b}: {', '.join(sorted(set(graph[a][b])))}"
        for cycle in cycles
        for a in cycle
        for b in cycle
        if b in graph.get(a, {})
    ]
    assert cycles == [], "\n".join(details)


def test_every_package_has_its_rung_on_the_ladder() -> None:
    assert set(package_graph()) - set(RUNG) == set(), "add the new package to LADDER"


def test_every_import_goes_down_the_ladder() -> None:
    upward = [
        f"{source} (rung {RUNG[source]}) imports {target} (rung {RUNG[target]}): "
        + ", ".join(sorted(set(modules)))
        for source, targets in package_graph().items()
        for target, modules in targets.items()
        if source in RUNG and target in RUNG and RUNG[target] >= RUNG[source]
    ]
    assert upward == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above cannot pass for want of finding: a made-up graph with a loop."""
    graph = {"a": {"b": ["m"]}, "b": {"c": ["m"]}, "c": {"a": ["m"]}, "d": {"a": ["m"]}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b": ["m"]}, "b": {}}) == []
