"""Benchmark: how long each ``chiso`` command takes to start, as a whole process.

A command's start is everything before it does its work: Python starting, importing the
application, building the commands and their options. ``chiso <command> --help`` runs exactly
that and stops, so it is what is timed here, for the application and every command and
subcommand. Each is run several times and the median is printed, against the 0.3 s target and
as a ratio to ``python -c pass`` measured in the same run (the interpreter's own start, which
no command can beat). The runs keep Python's bytecode cache, as an installed chiso has it: a
``PYTHONDONTWRITEBYTECODE`` in the environment is left out of theirs (``--no-bytecode-cache``
keeps it, and every run then compiles chiso's modules again), and each command runs once
before it is timed.

    .venv/bin/python benchmarks/bench_startup.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.3
COMMANDS = [
    [],
    ["frameworks"],
    ["frameworks", "list"],
    ["frameworks", "show"],
    ["frameworks", "validate"],
    ["survey"],
    ["survey", "estimate"],
    ["survey", "import"],
    ["survey", "xlsform"],
    ["report"],
    ["report", "annex"],
    ["report", "data"],
    ["report", "pdf"],
    ["report", "map"],
    ["score"],
    ["compare"],
    ["demo"],
    ["serve"],
    ["gaps"],
    ["plan"],
    ["ranks"],
]


def chiso_command() -> list[str]:
    """The installed ``chiso`` script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("chiso")
    return [str(script)] if script.exists() else [sys.executable, "-m", "chiso.cli.app"]


def median_seconds(argv: list[str], repeats: int, env: dict[str, str]) -> float:
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)  # caches warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100"}
    if not args.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    baseline = median_seconds([sys.executable, "-c", "pass"], args.repeats, env)
    cache = "off" if "PYTHONDONTWRITEBYTECODE" in env else "on"
    print(f"python -c pass: {baseline:.3f} s (median of {args.repeats}; bytecode cache {cache})")
    print(f"{'command':34} {'median':>8} {'× python':>9}  target {TARGET_S} s")
    chiso = chiso_command()
    missed = 0
    for command in COMMANDS:
        seconds = median_seconds([*chiso, *command, "--help"], args.repeats, env)
        met = seconds < TARGET_S
        missed += not met
        label = " ".join(["chiso", *command, "--help"])
        print(
            f"{label:34} {seconds:7.3f}s {seconds / baseline:8.1f}×  {'met' if met else 'NOT met'}"
        )
    print(f"target: {'met by every command' if not missed else f'NOT met by {missed}'}")


if __name__ == "__main__":
    main()
