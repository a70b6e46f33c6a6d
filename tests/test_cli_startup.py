"""The command line starts fast: importing the application, and asking it or its commands for
help, loads none of the heavy libraries (SciPy, Django, openpyxl, pyarrow, pyxform, typst,
docxtpl, nor NumPy); each is imported by the command that uses it. Checked on the modules a
fresh interpreter has loaded, not on a clock: the timings are benchmarks/bench_startup.py's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("scipy", "django", "openpyxl", "pyarrow", "pyxform", "typst", "docxtpl", "numpy")
# what Typer's help formatter imports for Markdown help and pretty tracebacks, neither of which
# chiso uses (chiso.cli.fast_help defers them)
HELP_ONLY = ("markdown_it", "pygments")

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
        ["units"],
        ["units", "list"],
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
    assert sorted({m.split(".")[0] for m in modules} & set(HELP_ONLY)) == []


WHOLE_APP = """
import sys
from pathlib import Path
from chiso.cli.app import app
sys.argv = ["chiso", *sys.argv[1:]]
app()
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["score", "--help"], ["survey", "estimate", "--help"], ["score"], ["scor"]],
    ids=lambda a: " ".join(["chiso", *a]),
)
def test_the_lean_start_answers_as_the_whole_application(args: list[str]) -> None:
    """main() builds only the command named and defers Rich's Markdown and tracebacks: its
    help and usage errors are, to the byte, those of the whole application built by Typer
    with everything imported."""

    def run(code: str) -> tuple[int, str, str]:
        env = {**os.environ, "COLUMNS": "100"}
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
        )
        return done.returncode, done.stdout, done.stderr

    lean = "import sys\nfrom chiso.cli.app import main\nsys.argv[0] = 'chiso'\nmain()"
    assert run(lean) == run(WHOLE_APP)


def test_a_command_builds_only_its_own_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_APP, json.dumps(["score", "--help"])],
        check=True,
        capture_output=True,
        text=True,
    )
    modules = set(json.loads(done.stderr.rsplit("MODULES ", 1)[1]))
    assert "chiso.cli.score_cmd" in modules
    assert not {"chiso.cli.survey_cmd", "chiso.cli.backup_cmd"} & modules


def test_survey_estimate_on_a_csv_loads_numpy_and_no_other_heavy_library(tmp_path: Path) -> None:
    """The command the survey benchmark times against R: reading a CSV and writing the table
    needs NumPy alone (no pandas, Ibis, DuckDB, Django, openpyxl, SciPy, PyArrow, nor Rich's
    Markdown or tracebacks)."""
    source = tmp_path / "survey.csv"
    source.write_text("p,psu,w,q1\n1,1,1.5,1\n1,2,2,0\n2,3,1,1\n2,4,3,1\n", encoding="utf-8")
    args = ["survey", "estimate", str(source), "--weight", "w", "--strata", "p", "--psu", "psu"]
    done = subprocess.run(
        [sys.executable, "-c", RUN_APP, json.dumps([*args, "--out", str(tmp_path / "e.csv")])],
        check=True,
        capture_output=True,
        text=True,
    )
    loaded = {m.split(".")[0] for m in json.loads(done.stderr.rsplit("MODULES ", 1)[1])}
    assert (tmp_path / "e.csv").exists()
    others = {"pandas", "ibis", "duckdb", "pyspark", "matplotlib", *HEAVY, *HELP_ONLY} - {"numpy"}
    assert sorted(loaded & others) == []
