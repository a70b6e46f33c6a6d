"""Every importer against files a property-based search makes (Hypothesis): score inputs as
CSV and XLSX, survey exports, response files, framework files, instruments, boundary files,
points files and published results. Whatever the bytes, an importer returns its data or
raises :class:`Refusal` whose every problem renders in Vietnamese and English; no other
exception (which the command line would show as a traceback and a page as a 500), and the
command line writes nothing when anything is wrong.

The files are made by mutating valid ones (a cell replaced by one of the texts that broke
readers before: NaN, an overflow, a formula, NUL, decomposed Vietnamese, a very long text…)
as well as from raw bytes, so most examples reach the rules past the header."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.frameworks.loader import read_framework
from chiso.problems import Refusal
from chiso.reports.choropleth import parse_boundaries
from chiso.scoring import compile_plan
from chiso.surveys.export_reading import import_export
from chiso.surveys.instrument import get_instrument, read_instrument
from chiso.surveys.responses import read_responses
from chiso.tables.reading import read_scores
from chiso.tables.results_reading import read_results

FIXTURES = Path(__file__).parent / "fixtures"
FW = get_framework("example-department-2024")
PLAN = compile_plan(FW)
LEAVES = [n.code for n in FW.leaves()]
INSTRUMENT = get_instrument("sipas-2017")
FUZZ = settings(
    max_examples=int(os.environ.get("CHISO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

NASTY = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e999",
    "-1",
    "1,5",
    "1.234,5",
    "1_000",
    "0x10",
    "KAD",
    "NA",
    "=1+1",
    "@SUM(A1)",
    "\x00",
    "\ufeff",
    "Sở Tư pháp",
    "So\u031b\u0309 Tu\u031b pha\u0301p",  # decomposed (NFD)
    "9" * 400,
    "a" * 5000,
    "có",
    "không",
    "chậm",
    "1.4",
    "total",
    "unit",
    "\r\n",
    '"',
    ";",
]
cells = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _check(read: Callable[[], Any]) -> None:
    """``read`` returns, or raises Refusal with problems that render in both languages."""
    try:
        read()
    except Refusal as exc:
        problems = list(exc.report)
        assert problems, "an Refusal names at least one problem"
        for problem in problems:
            for lang in ("vi", "en"):
                assert problem.render(lang)


def _csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_xlsx_safe(x) for x in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_safe(x: Any) -> Any:
    """What openpyxl can store: it refuses control characters in text."""
    if isinstance(x, str):
        return "".join(ch for ch in x if ch >= " " or ch in "\t\n\r")[:32000]
    return x


def _in_file(data: bytes, name: str, read: Callable[[str], Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _check(lambda: read(str(path)))


@st.composite
def mutated(draw: st.DrawFn, rows: list[list[str]]) -> list[list[str]]:
    """``rows`` with some cells replaced, some rows dropped or repeated, maybe a ragged row."""
    table = [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 6))):
        r = draw(st.integers(0, len(table) - 1))
        if not table[r]:
            continue
        c = draw(st.integers(0, len(table[r]) - 1))
        table[r][c] = draw(cells)
    if len(table) > 1 and draw(st.booleans()):
        table.append(list(table[draw(st.integers(1, len(table) - 1))]))  # a repeated row
    if draw(st.booleans()):
        table[draw(st.integers(0, len(table) - 1))].append(draw(cells))  # a ragged row
    if len(table) > 1 and draw(st.booleans()):
        del table[draw(st.integers(1, len(table) - 1))]
    return table


WIDE = [
    ["unit", *LEAVES],
    ["Sở Tư pháp", *(["1"] * len(LEAVES))],
    ["Sở Y tế", *(["0,5"] * len(LEAVES))],
]
LONG = [["unit", "node", "value", "se"]] + [
    [u, code, "1", "0.1"] for u in ("Sở Tư pháp", "Sở Y tế") for code in LEAVES[:6]
]


@FUZZ
@given(rows=mutated(WIDE), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16"]))
def test_score_input_csv_never_crashes(rows: list[list[str]], encoding: str) -> None:
    _in_file(_csv_bytes(rows, encoding), "diem.csv", lambda p: read_scores(p, FW, PLAN))


@FUZZ
@given(rows=mutated(LONG))
def test_points_files_in_the_long_form_never_crash(rows: list[list[str]]) -> None:
    _in_file(_csv_bytes(rows), "points.csv", lambda p: read_scores(p, FW, PLAN))


@FUZZ
@given(rows=mutated(WIDE), numbers=st.booleans())
def test_score_input_xlsx_never_crashes(rows: list[list[str]], numbers: bool) -> None:
    def typed(x: str) -> Any:
        try:
            return float(x) if numbers else x
        except ValueError:
            return x

    table = [[typed(x) for x in r] for r in rows]
    _in_file(_xlsx_bytes(table), "diem.xlsx", lambda p: read_scores(p, FW, PLAN))


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(["csv", "xlsx", "parquet", "txt"]))
def test_score_input_of_arbitrary_bytes_never_crashes(data: bytes, suffix: str) -> None:
    _in_file(data, f"x.{suffix}", lambda p: read_scores(p, FW, PLAN))


@FUZZ
@given(rows=mutated(WIDE))
def test_the_score_command_writes_nothing_when_the_input_has_a_problem(
    rows: list[list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.csv", Path(folder) / "out.xlsx"
        source.write_bytes(_csv_bytes(rows))
        result = CliRunner().invoke(
            app, ["score", "-f", FW.code, str(source), "--out", str(out), "--lang", "en"]
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert not out.exists()


EXPORT = (FIXTURES / "exports" / "sipas_2017_odk_central.csv").read_text(encoding="utf-8-sig")
EXPORT_ROWS = [r for r in csv.reader(io.StringIO(EXPORT))][:8]


@FUZZ
@given(rows=mutated(EXPORT_ROWS), profile=st.sampled_from(["odk", "csv"]))
def test_survey_exports_never_crash(rows: list[list[str]], profile: str) -> None:
    _in_file(_csv_bytes(rows), "export.csv", lambda p: import_export(p, INSTRUMENT, profile))


@FUZZ
@given(rows=mutated(EXPORT_ROWS))
def test_survey_response_files_never_crash(rows: list[list[str]]) -> None:
    header = EXPORT_ROWS[0]
    weight = next((h for h in header if "trong_so" in h or h == "w"), header[-1])
    _in_file(
        _csv_bytes(rows),
        "responses.csv",
        lambda p: read_responses(p, weight, None, None, None, None, None),
    )


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(NASTY)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "code",
                    "name_vi",
                    "name",
                    "max",
                    "children",
                    "rule",
                    "kind",
                    "nodes",
                    "framework",
                    "index",
                    "year",
                    "options",
                    "bands",
                    "weight",
                    "aggregation",
                    "questions",
                    "scales",
                    "items",
                    "version",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)
FRAMEWORK = Path(__file__).parents[1] / "src/chiso/frameworks/data/example-department-2024.yaml"


@st.composite
def framework_texts(draw: st.DrawFn) -> bytes:
    """A real framework with some lines changed, or a YAML document of a random shape, or
    bytes."""
    choice = draw(st.integers(0, 2))
    if choice == 0:
        lines = FRAMEWORK.read_text(encoding="utf-8").splitlines()
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(lines) - 1))
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(NASTY))!r}" if ":" in lines[i] else ""
        return "\n".join(lines).encode("utf-8")
    if choice == 1:
        import yaml

        return yaml.safe_dump(draw(yaml_values), allow_unicode=True).encode("utf-8")
    return draw(st.binary(max_size=500))


@FUZZ
@given(data=framework_texts())
def test_framework_files_never_crash(data: bytes) -> None:
    def read(path: str) -> None:
        framework, report = read_framework(path)
        if framework is None:
            raise Refusal(report)

    _in_file(data, "khung.yaml", read)


@FUZZ
@given(data=framework_texts())
def test_instrument_files_never_crash(data: bytes) -> None:
    def read(path: str) -> None:
        instrument, report = read_instrument(path)
        if instrument is None:
            raise Refusal(report)

    _in_file(data, "phieu.yaml", read)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.sampled_from(["Polygon", "MultiPolygon", "Topology", "FeatureCollection", "Hà Nội"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "features",
                    "geometry",
                    "properties",
                    "coordinates",
                    "name",
                    "arcs",
                    "objects",
                    "geometries",
                    "transform",
                    "scale",
                    "translate",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@FUZZ
@given(doc=json_values)
def test_boundary_files_never_crash(doc: Any) -> None:
    """The administrator's boundary upload reads files through parse_boundaries, and turns
    its KeyError, IndexError, TypeError and ValueError into a map.unreadable message; any
    other exception would be a 500."""
    with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
        parse_boundaries(json.dumps(doc))


@FUZZ
@given(data=st.binary(max_size=3000) | st.text(max_size=500).map(lambda t: t.encode()))
def test_published_results_files_never_crash(data: bytes) -> None:
    for name in ("ket-qua.json", "ket-qua.csv", "ket-qua.xlsx"):
        _in_file(data, name, read_results)


# What the search found, kept as plain examples: each was an exception, not a problem report.


def test_a_maximum_beyond_any_float_is_a_problem_of_the_framework_file() -> None:
    text = FRAMEWORK.read_text(encoding="utf-8")
    first_max = next(line for line in text.splitlines() if line.strip().startswith("max:"))
    huge = text.replace(first_max, first_max.split(":")[0] + ": " + "9" * 400, 1)
    _in_file(huge.encode("utf-8"), "khung.yaml", lambda p: _strict_framework(p))
    framework, report = _read(huge)
    assert framework is None and "framework.bad_max" in {p.rule for p in report}


def _read(text: str) -> tuple[object, list[Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "khung.yaml"
        path.write_text(text, encoding="utf-8")
        framework, report = read_framework(path)
        return framework, list(report)


def _strict_framework(path: str) -> None:
    framework, report = read_framework(path)
    if framework is None:
        raise Refusal(report)


def test_an_instrument_whose_groups_are_not_a_list_is_a_problem() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "phieu.yaml"
        path.write_text("code: x\ngroups: true\nquestions: 3\nscales: []\n", encoding="utf-8")
        instrument, report = read_instrument(path)
    assert instrument is None
    assert "framework.bad_type" in {p.rule for p in report}


def test_a_unit_named_by_an_infinite_number_in_xlsx_is_read_not_a_crash() -> None:
    rows: list[list[Any]] = [["unit", *LEAVES], [float("inf"), *([1.0] * len(LEAVES))]]
    _in_file(_xlsx_bytes(rows), "diem.xlsx", lambda p: read_scores(p, FW, PLAN))
