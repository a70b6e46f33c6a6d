"""The command line's console writes a line of plain text to a stream that is not a terminal
without Rich, and what it writes is, to the byte, what Rich writes for it; everything else
(markup, long lines, other scripts, a terminal) is still Rich's."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.cli.output import err, plain_line

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯ"
)
WORD = st.one_of(
    st.text(alphabet=VIETNAMESE + "./-_,:0123456789ABCxyz()'\"", min_size=1, max_size=12),
    st.sampled_from([":smile:", ":thumbs_up:", "a:b", "Written:", "/tmp/x.csv", "[bold]", "\\"]),
)
LINE = st.lists(WORD, min_size=1, max_size=25).map(" ".join)


def _rich(text: str) -> str:
    from rich.console import Console

    sink = io.StringIO()
    Console(file=sink).print(text)
    return sink.getvalue()


@pytest.mark.parametrize("columns", ["80", "40", "250"])
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=LINE)
def test_a_plain_line_is_written_as_rich_writes_it(
    text: str, columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    sink = io.StringIO()
    if plain_line(text, sink):
        assert text + "\n" == _rich(text)


def test_the_usual_messages_are_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for text in ("Written: /tmp/chiso/estimates.csv", "Đã ghi /tmp/kết quả/ước lượng.xlsx"):
        assert plain_line(text, io.StringIO())
        assert _rich(text) == text + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "[red]Lỗi:[/red] x",  # markup
        "Written: :smile: done",  # an emoji code
        "a" * 80,  # as wide as the line: Rich wraps it
        " leading space",
        "Chinese 中文",  # two cells a character
        "tab\there",
    ],
)
def test_anything_else_is_left_to_rich(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert not plain_line(text, io.StringIO())


def test_a_terminal_or_forced_colour_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert not plain_line("Written: x.csv", Terminal())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not plain_line("Written: x.csv", io.StringIO())


def test_the_console_writes_the_line_to_its_stream(capsys: pytest.CaptureFixture[str]) -> None:
    err.print("Đã ghi kết quả.csv")
    assert capsys.readouterr().err == "Đã ghi kết quả.csv\n"


def test_a_command_that_writes_a_file_from_a_script_does_not_import_rich(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text("p,psu,w,q1\n1,1,1.5,1\n1,2,2,0\n2,3,1,1\n2,4,3,1\n", encoding="utf-8")
    code = (
        "import json, sys\n"
        "from chiso.cli.app import main\n"
        "sys.argv = ['chiso', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.write(json.dumps('rich.console' in sys.modules))"
    )
    args = ["survey", "estimate", str(source), "--weight", "w", "--strata", "p", "--psu", "psu"]
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-c", code, *args, "--lang", "en", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == f"Written: {out}\n"
    assert json.loads(done.stdout) is False
