"""The layers hold: the web layer calls the library, never the reverse; the web apps stand in
one order, each importing only apps below it; no module of the web apps imports, directly or
through others, a module that imports it back; and no view, service or API decides access by
itself. Imports inside functions count like those at the top: tests read the source (every
``import`` statement), so a new shortcut fails here before it reaches a reviewer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import chiso

SRC = Path(chiso.__file__).parent
WEB = SRC / "web"

ORDER: list[tuple[str, ...]] = [
    ("core",),
    ("accounts",),
    ("cycles",),
    ("plans", "portal", "archive", "service_index"),
    ("api", "notifications"),
]
"""The apps from the bottom up (DESIGN.md, "The web layer as a ladder"): an app imports only
apps on a lower rung. Apps on one rung know nothing of each other; one adds a panel to another's
page by registration (:mod:`chiso.web.core.panels`)."""
LEVEL = {app: rung for rung, apps in enumerate(ORDER) for app in apps}

SCHEMA_REFERENCES_UP = {
    ("core", "cycles"),  # an audit entry names its cycle
    ("accounts", "cycles"),  # a role is held for a unit, a cycle
}
"""Models that name a model of an app above theirs by its label (``"cycles.Cycle"``): Django
resolves these once every app is loaded, no Python import goes up. Only these."""


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every chiso module ``path`` imports, with its line: at the top or inside a function,
    relative imports resolved."""
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.append((base, node.lineno))
            found += [(f"{base}.{a.name}", node.lineno) for a in node.names]
    return [(name, line) for name, line in found if name.startswith("chiso.")]


def _files() -> dict[str, Path]:
    return {_module(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}


def _graph() -> dict[str, set[str]]:
    files = _files()
    return {
        name: {m for m, _ in _imports(path) if m in files} - {name} for name, path in files.items()
    }


def _app(module: str) -> str | None:
    """The web app ``module`` belongs to; None for the site's own modules (settings, urls, the
    demo, backups…) and for the library."""
    parts = module.split(".")
    if parts[:2] != ["chiso", "web"] or len(parts) < 3:
        return None
    return parts[2] if (WEB / parts[2] / "__init__.py").exists() else None


def test_every_chiso_module_imported_exists() -> None:
    """At the top or inside a function: a module moved or renamed leaves no import of its old
    name behind (an import inside a function fails only when the function runs; a type
    checker run beside another checkout of chiso may not see it either)."""
    files = _files()
    missing = []
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                wanted = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                wanted = [node.module]
            else:
                continue
            missing += [
                f"{name}:{node.lineno} {w}"
                for w in wanted
                if w.startswith("chiso.") and w not in files
            ]
    assert missing == []


def test_the_library_never_imports_the_web_layer() -> None:
    for name, imported in _graph().items():
        if name.startswith("chiso.web") or name in ("chiso.cli.serve_cmd", "chiso.cli.backup_cmd"):
            continue  # the web layer itself, and the commands that start or back up a server
        assert not any(m.startswith("chiso.web") for m in imported), name
        source = (SRC.parent / Path(*name.split("."))).with_suffix(".py")
        if source.exists():
            assert not re.search(r"^\s*(from|import) django", source.read_text(), re.M), name


def test_every_web_app_has_its_rung() -> None:
    apps = {p.parent.name for p in WEB.glob("*/__init__.py")}
    assert apps == set(LEVEL)


def test_an_app_imports_only_apps_below_it() -> None:
    """At the top of a module or inside a function alike; nor does an app import the site's
    own modules (urls, settings, the demo), which stand above every app."""
    wrong = []
    for name, path in _files().items():
        mine = _app(name)
        if mine is None:
            continue
        for imported, line in _imports(path):
            theirs = _app(imported)
            if imported.startswith("chiso.web") and theirs is None and imported != "chiso.web":
                wrong.append(f"{name}:{line} imports the site's {imported}")
            elif theirs is not None and theirs != mine and LEVEL[theirs] >= LEVEL[mine]:
                wrong.append(f"{name}:{line} ({mine}) imports {imported} ({theirs})")
    assert wrong == []


def test_no_app_imports_one_that_imports_it_back() -> None:
    edges: dict[str, set[str]] = {}
    for name, imported in _graph().items():
        mine = _app(name)
        for other in imported:
            theirs = _app(other)
            if mine and theirs and theirs != mine:
                edges.setdefault(mine, set()).add(theirs)

    def reaches(start: str, target: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt == target:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    assert sorted(f"{a} ↔ {b}" for a in edges for b in edges[a] if reaches(b, a)) == []


def test_no_import_cycles_between_modules_of_the_web_apps() -> None:
    graph = _graph()
    web = {n for n in graph if n.startswith("chiso.web")}

    def reaches(start: str, target: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            for nxt in graph.get(here, ()):
                if nxt == target:
                    return True
                if nxt not in seen and nxt.startswith("chiso.web"):
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted(f"{a} ↔ {b}" for a in web for b in graph[a] if b in web and reaches(b, a))
    assert cycles == []


def test_models_name_models_above_them_only_where_listed() -> None:
    """A model's relation to another app's model by label (``"cycles.Cycle"``) goes down the
    order, except the few listed in SCHEMA_REFERENCES_UP."""
    up = set()
    for path in WEB.glob("*/models.py"):
        mine = path.parent.name
        labels = {p.parent.name: p.parent.name for p in WEB.glob("*/apps.py")}
        labels["services"] = "service_index"  # the app kept its label when it was renamed
        for label in re.findall(r"""["']([a-z_]+)\.[A-Z]\w*["']""", path.read_text()):
            theirs = labels.get(label)
            if theirs and theirs != mine and LEVEL[theirs] >= LEVEL[mine]:
                up.add((mine, theirs))
    assert up <= SCHEMA_REFERENCES_UP


INLINE_RULES = re.compile(
    r"\.role\b|\bis_staff\b|\bis_superuser\b|Role\.(ADMIN|OFFICER|APPRAISER|CHAIR)\b"
    r"|_roles\(|\.roles\."
)


def test_access_is_decided_only_in_the_policies() -> None:
    """Views, services and the API ask the policy modules; role checks anywhere else are
    refused. Roles are named only in accounts.policy (the others ask it what a person's roles
    are for), and the demo, which grants its demo accounts theirs."""
    allowed = {WEB / "accounts" / "policy.py", WEB / "demo.py"}
    offenders = []
    for path in WEB.rglob("*.py"):
        if path in allowed or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_RULES.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_access_rules_live_in_policy_modules() -> None:
    """Every answer to "may this person…" (``can_…``, ``visible_…``, ``may_…``) is defined in an
    app's ``policy.py``: one place per app, which its pages, services and API ask."""
    elsewhere = []
    for path in WEB.rglob("*.py"):
        if path.name == "policy.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and re.match(r"(can|visible|may)_", node.name):
                elsewhere.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.name}")
    assert elsewhere == []
