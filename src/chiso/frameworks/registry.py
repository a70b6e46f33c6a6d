"""The built-in frameworks shipped with chiso, and lookup by code or by file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from chiso.frameworks.loader import load_framework
from chiso.frameworks.model import Framework
from chiso.problems import ProblemReport, Refusal

DATA_DIR = Path(__file__).parent / "data"


def builtin_paths() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


@cache
def builtin_frameworks() -> tuple[Framework, ...]:
    """Every built-in framework, ordered by index, subject and first year."""
    frameworks = [load_framework(p) for p in builtin_paths()]
    return tuple(sorted(frameworks, key=lambda f: (f.index, f.subjects, f.year_from)))


def get_framework(code_or_file: str) -> Framework:
    """A built-in framework by its code, or a user's framework file by its path."""
    path = Path(code_or_file)
    if path.suffix.lower() in {".yaml", ".yml"} or path.is_file():
        return load_framework(path)
    for framework in builtin_frameworks():
        if framework.code == code_or_file:
            return framework
    report = ProblemReport()
    report.add("framework.unknown", code_or_file, code=code_or_file)
    raise Refusal(report)


def framework_text(code_or_file: str) -> str:
    """The YAML text of a built-in framework or a framework file (a cycle keeps its own copy)."""
    path = Path(code_or_file)
    if not path.is_file():
        path = DATA_DIR / f"{code_or_file}.yaml"
    if not path.is_file():
        report = ProblemReport()
        report.add("framework.unknown", code_or_file, code=code_or_file)
        raise Refusal(report)
    return path.read_text(encoding="utf-8")
