"""Every file chiso reads at run time ships in its wheel: an editable install (the README's)
reads the source tree and hides a file the package data forgets, which a pip install from a
wheel would then lack (the inbox template, the stylesheet and the reset mail once did)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "chiso"
CODE = {".py", ".pyc", ".mo"}  # .mo files are built from the shipped .po files at install


def test_every_data_file_of_the_package_is_listed_in_its_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["chiso"]
    listed = {f for pattern in patterns for f in PACKAGE.glob(pattern) if f.is_file()}
    data = {
        f
        for f in PACKAGE.rglob("*")
        if f.is_file() and f.suffix not in CODE and "__pycache__" not in f.parts
    }
    assert sorted(str(f.relative_to(PACKAGE)) for f in data - listed) == []
