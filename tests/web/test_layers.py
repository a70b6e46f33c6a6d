"""The layers hold: the web layer calls the library, never the reverse; no module of the web
apps imports, directly or through others, a module that imports it back; and no view,
service or API decides access by itself (tests read the source, so a new shortcut fails here
before it reaches a reviewer)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import chiso

SRC = Path(chiso.__file__).parent
WEB = SRC / "web"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every chiso module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name.startswith("chiso.")}


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}
    return {
        name: {m for m in _imports(path) if m in files} - {name} for name, path in files.items()
    }


def test_the_library_never_imports_the_web_layer() -> None:
    for name, imported in _graph().items():
        if name.startswith("chiso.web") or name in ("chiso.cli.serve_cmd", "chiso.cli.backup_cmd"):
            continue  # the web layer itself, and the commands that start or back up a server
        assert not any(m.startswith("chiso.web") for m in imported), name
        source = (SRC.parent / Path(*name.split("."))).with_suffix(".py")
        if source.exists():
            assert not re.search(r"^\s*(from|import) django", source.read_text(), re.M), name


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


INLINE_RULES = re.compile(
    r"\.role\b|\bis_staff\b|\bis_superuser\b|Role\.(ADMIN|OFFICER|APPRAISER|CHAIR)\b"
    r"|_roles\(|\.roles\."
)


def test_access_is_decided_only_in_the_policy() -> None:
    """Views, services and the API ask ``accounts.policy``; role checks anywhere else are
    refused (granting roles is the one service that names them, to store them)."""
    allowed = {WEB / "accounts" / "policy.py", WEB / "demo.py"}
    offenders = []
    for path in WEB.rglob("*.py"):
        if path in allowed or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_RULES.search(line) and "def grant_role" not in line:
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert [o for o in offenders if not o.startswith("web/cycles/services.py")] == []
    # in services, only grant_role's table of what each role needs may name the roles
    named = [o for o in offenders if o.startswith("web/cycles/services.py")]
    assert all(re.search(r"Role\.(OFFICER|APPRAISER|CHAIR|ADMIN): \(", o) for o in named), named
