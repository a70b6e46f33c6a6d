"""The command line starts fast: importing the application, and asking it or its commands for
help, loads none of the heavy libraries (SciPy, Django, openpyxl, pyarrow, pyxform, typst,
docxtpl, nor NumPy); each is imported by the command that uses it. Checked on the modules a
fresh interpreter has loaded, not on a clock: the timings are benchmarks/bench_startup.py's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("scipy", "django", "openpyxl", "pyarrow", "pyxform", "typst", "docxtpl", "numpy")

RUN_APP = """
import json, sys
from chiso.cli.app import main
sys.argv = ["chiso", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def heavy_loaded(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_importing_the_application_loads_no_heavy_library() -> None:
    code = "import json, sys, chiso.cli.app; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert heavy_loaded(json.loads(done.stdout)) == []


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["survey"],
        ["survey", "estimate"],
        ["survey", "import"],
        ["score"],
        ["compare"],
        ["frameworks", "show"],
        ["report"],
        ["report", "pdf"],
        ["demo"],
        ["serve"],
        ["gaps"],
        ["plan"],
        ["ranks"],
    ],
    ids=lambda a: " ".join(["chiso", *a, "--help"]),
)
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_APP, json.dumps([*args, "--help"])],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert "Usage" in done.stdout
    modules = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    assert heavy_loaded(modules) == []
