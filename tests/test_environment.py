"""The settings reference is the code's: every environment variable chiso reads is listed in
``chiso.environment`` (and so in docs/settings.md, made from it), every one listed is read, and
all are read through that one module, each with one meaning. A value that cannot be used stops
the start with a message naming the variable."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from chiso import environment
from chiso.cli.output import guarded

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "chiso"
READERS = {"value", "flag", "integer", "rate"}  # chiso.environment's ways of reading


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _scan() -> tuple[dict[str, set[str]], dict[str, set[str]], list[str]]:
    """(variables read → files, variables set → files, reads of os.environ outside
    chiso.environment) in chiso's code."""
    read: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    stray: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        where = str(path.relative_to(SRC))
        own = where == "environment.py"
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            name, kind = None, "read"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                first = _literal(node.args[0]) if node.args else None
                if _is_os_environ(node.func.value) and node.func.attr in ("get", "pop"):
                    name = first
                elif _is_os_environ(node.func.value) and node.func.attr == "setdefault":
                    # a command sets what it needs unless the user did: the user's is read
                    name, kind = first, "through"
                elif node.func.attr == "getenv":
                    name = first
                elif (
                    node.func.attr in READERS
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "environment"
                ):
                    name, kind = first, "through"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and own:
                if node.func.id in READERS:
                    name, kind = _literal(node.args[0]) if node.args else None, "through"
            elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
                name = _literal(node.slice)
                kind = "read" if isinstance(node.ctx, ast.Load) else "write"
            elif isinstance(node, ast.Compare) and any(_is_os_environ(c) for c in node.comparators):
                name = _literal(node.left)
            elif isinstance(node, ast.keyword) and node.arg == "envvar":
                name, kind = _literal(node.value), "through"  # typer reads it for the option
            if name is None:
                continue
            if kind == "write":
                written.setdefault(name, set()).add(where)
                continue
            read.setdefault(name, set()).add(where)
            if kind == "read" and not own:
                stray.append(f"{where}: {name}")
    return read, written, stray


def test_every_variable_the_code_reads_is_listed_and_every_one_listed_is_read() -> None:
    read, written, _ = _scan()
    listed = set(environment.VARIABLES)
    assert set(read) - listed == set(), "read but not in chiso.environment.VARIABLES"
    assert set(written) - listed == set(), "set by a command but not in the reference"
    assert listed - set(read) == set(), "listed but read by nothing"


def test_the_environment_is_read_only_through_chiso_environment() -> None:
    _, _, stray = _scan()
    assert stray == []


def test_the_settings_reference_is_made_from_the_table() -> None:
    documented = (ROOT / "docs" / "settings.md").read_text("utf-8")
    assert documented == environment.reference(), (
        "docs/settings.md is stale: python -m chiso.environment > docs/settings.md"
    )
    for name in environment.VARIABLES:
        assert f"`{name}`" in documented


def _settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", f"import chiso.web.settings as s; {code}"],
        env={
            **clean,
            "CHISO_SECRET_KEY": "settings-test-Vb3nM8qRt2LxZ7wK9cFh4JpS6dGy1AeUo5Ni0Xr",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_chiso_api_rate_sets_each_tokens_rate(tmp_path: Path) -> None:
    done = _settings(
        {"CHISO_API_RATE": "5/h", "CHISO_DATA_DIR": str(tmp_path)}, "print(s.CHISO_API_RATE)"
    )
    assert done.stdout.strip() == "5/h", done.stderr
    default = _settings({"CHISO_DATA_DIR": str(tmp_path)}, "print(s.CHISO_API_RATE)")
    assert default.stdout.strip() == "600/m", default.stderr


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("CHISO_API_RATE", "600 per minute", "setting.bad_rate"),
        ("CHISO_TLS_PROXY", "maybe", "setting.bad_flag"),
        ("CHISO_HSTS_SECONDS", "one year", "setting.bad_integer"),
        ("CHISO_EVIDENCE_MAX_BYTES", "0", "setting.bad_integer"),
    ],
)
def test_a_value_that_cannot_be_used_stops_the_start_naming_the_variable(
    tmp_path: Path, name: str, value: str, rule: str
) -> None:
    done = _settings({name: value, "CHISO_DATA_DIR": str(tmp_path)}, "")
    assert done.returncode != 0
    assert f"{name}: " in done.stderr and rule in done.stderr


def test_a_switch_reads_one_and_zero_and_their_usual_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text, meant in [("1", True), ("yes", True), ("0", False), ("", False), ("off", False)]:
        monkeypatch.setenv("CHISO_TLS_PROXY", text)
        assert environment.flag("CHISO_TLS_PROXY") is meant
    monkeypatch.delenv("CHISO_TLS_PROXY")
    assert environment.flag("CHISO_TLS_PROXY") is False


def _fails() -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize("debug", ["1", "0"])
def test_chiso_debug_does_not_give_a_command_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], debug: str
) -> None:
    """CHISO_DEBUG is the web server's debug mode; a command's traceback is CHISO_TRACEBACK."""
    monkeypatch.setenv("CHISO_DEBUG", debug)
    monkeypatch.delenv("CHISO_TRACEBACK", raising=False)
    with pytest.raises(typer.Exit) as stopped:
        guarded("en", _fails)
    assert stopped.value.exit_code == 70
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_chiso_traceback_lets_a_commands_error_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        guarded("en", _fails)
