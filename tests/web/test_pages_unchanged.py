"""The demo's public pages and API answers are byte-identical to the recorded ones
(tests/golden/pages, written by scripts/record_golden_pages.py from the code at d41aad4).

A refactoring that should change nothing a reader or a client sees shows here that it did
not: every page (Vietnamese and English), download, API answer and the OpenAPI schema is
rendered again, in a process of its own with a new database and the script's fixed clock, and
compared byte for byte with its status and headers. A difference prints a unified diff of the
first lines that differ. Re-record only for a change you mean and can name in the commit."""

from __future__ import annotations

import contextlib
import difflib
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "pages"
SCRIPT = ROOT / "scripts" / "record_golden_pages.py"
RECORDED: dict[str, Any] = json.loads((GOLDEN / "index.json").read_text(encoding="utf-8"))
DIFF_LINES = 60


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Everything rendered once for the module by the recording script itself, into a folder
    of its own (the demo takes some 20 seconds to build)."""
    out = tmp_path_factory.mktemp("pages")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # the code of this checkout
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return out, json.loads((out / "index.json").read_text(encoding="utf-8"))


def _body(folder: Path, digest: str) -> bytes:
    return gzip.decompress((folder / f"{digest[:20]}.gz").read_bytes())


def _lines(body: bytes, content_type: str) -> list[str]:
    """The body as lines to compare by eye: JSON (one long line as sent) indented."""
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        with contextlib.suppress(ValueError):  # not JSON after all: shown as sent
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text.splitlines()


def _difference(name: str, recorded: dict[str, Any], now: dict[str, Any], folder: Path) -> str:
    kind = str(recorded.get("Content-Type", ""))
    before = _lines(_body(GOLDEN, recorded["sha256"]), kind)
    after = _lines(_body(folder, now["sha256"]), str(now.get("Content-Type", "")))
    diff = list(difflib.unified_diff(before, after, f"recorded {name}", f"now {name}", lineterm=""))
    shown = "\n".join(line[:300] for line in diff[:DIFF_LINES])
    more = f"\n… and {len(diff) - DIFF_LINES} more lines of diff" if len(diff) > DIFF_LINES else ""
    if not diff:
        shown = "(the same lines: the bytes differ in line ends, indentation or encoding)"
    return f"{name} ({recorded['address']}) changed:\n{shown}{more}"


def test_the_same_pages_and_answers_are_rendered(rendered: tuple[Path, dict[str, Any]]) -> None:
    assert sorted(rendered[1]) == sorted(RECORDED)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_the_page_or_answer_is_byte_identical_to_the_recorded_one(
    rendered: tuple[Path, dict[str, Any]], name: str
) -> None:
    folder, index = rendered
    recorded = RECORDED[name]
    now = index.get(name)
    assert now is not None, f"{name} ({recorded['address']}) was not rendered"
    head = {k: v for k, v in now.items() if k != "sha256"}
    assert head == {k: v for k, v in recorded.items() if k != "sha256"}, name
    if now["sha256"] != recorded["sha256"]:
        pytest.fail(_difference(name, recorded, now, folder), pytrace=False)
