"""Every YAML file a person can give chiso (frameworks, survey instruments, the archive's
sources.yaml) is read by one loader that refuses what would cost more than the file is worth.

Issue #19: a signed-in user posted a 1,475-byte framework whose anchors referenced each other
16 levels deep; the answer came after 11 s with 262,141 problems in 45 MB, and each further
level doubled time and memory. YAML aliases are refused before anything is built, and so are
nesting deeper than :data:`~chiso.yamlfiles.MAX_DEPTH`, more than
:data:`~chiso.yamlfiles.MAX_NODES` values and files over :data:`~chiso.yamlfiles.MAX_BYTES`;
a value YAML cannot convert (``2024-13-01``, a 5,000-digit number) is a problem on its line,
not a crash. The budget: a file under 2 MB is read in under 2 s of CPU and 200 MB, or refused.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.archive.loading import load_archive
from chiso.frameworks.loader import framework_from_text, read_framework
from chiso.problems import ProblemReport, Refusal
from chiso.surveys.instrument import read_instrument
from chiso.yamlfiles import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_yaml

SECONDS = 2.0
MEGABYTES = 200
FRAMEWORK = Path(__file__).parents[1] / "src/chiso/frameworks/data/example-department-2024.yaml"


def alias_bomb(levels: int) -> str:
    """The probe's framework: each level a criterion whose children are the level below,
    twice, by alias, so that level ``levels`` stands for 2**levels criteria."""
    lines = [
        "format: 1",
        "code: bomb",
        "index: x",
        "subject: [department]",
        "name_vi: x",
        "name_en: x",
        "years: {from: 2024, to: null}",
        "legal_basis: x",
        "nodes:",
        "  - &l0 {code: 'x', name_vi: x, max: -1, zz: 1}",
    ]
    lines += [
        f"  - &l{i} {{code: 'y', children: [*l{i - 1}, *l{i - 1}]}}" for i in range(1, levels)
    ]
    return "\n".join(lines) + "\n"


@contextmanager
def measured() -> Iterator[dict[str, float]]:
    """CPU seconds and the peak growth of resident memory (MB) of what runs inside; Linux's
    peak is reset first (/proc/self/clear_refs), else Python's allocations are traced."""
    out: dict[str, float] = {}

    def status(key: str) -> int:
        text = Path("/proc/self/status").read_text()
        return int(re.search(rf"{key}:\s+(\d+)", text).group(1))  # type: ignore[union-attr]

    try:
        Path("/proc/self/clear_refs").write_text("5")
        before, traced = status("VmRSS"), False
    except OSError:
        tracemalloc.start()
        before, traced = 0, True
    start = time.process_time()
    try:
        yield out
    finally:
        out["seconds"] = time.process_time() - start
        if traced:
            out["mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        else:
            out["mb"] = (status("VmHWM") - before) / 1024


def refused(text: str | bytes, name: str = "khung.yaml") -> ProblemReport:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    report = ProblemReport()
    assert load_yaml(raw, name, report) is None
    assert report
    return report


# -- the probe's attack -------------------------------------------------------------------
def test_the_alias_bomb_is_refused_at_its_first_anchor_before_anything_is_built() -> None:
    text = alias_bomb(17)
    assert len(text.encode()) < 1500
    with measured() as cost, pytest.raises(Refusal) as caught:
        framework_from_text(text, "bomb.yaml")
    problems = list(caught.value.report)
    assert [(p.rule, p.file, p.row) for p in problems] == [("yaml.alias", "bomb.yaml", 10)]
    assert cost["seconds"] < 0.5 and cost["mb"] < 20


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x 1\nb: *x\n", 1),
        ("a: 1\nb: !!str &x 2\n", 2),
        ("base: &b {x: 1}\nuse:\n  <<: *b\n", 1),
        ("a: 1\nb: [1, *x]\n", 2),  # an alias to no anchor: refused as an alias all the same
    ],
)
def test_anchors_and_aliases_are_refused_with_their_line(text: str, line: int) -> None:
    (problem,) = refused(text)
    assert (problem.rule, problem.row) == ("yaml.alias", line)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_refusal_is_explained_in_both_languages(lang: str) -> None:
    cases = {
        "yaml.alias": "a: &x 1\nb: *x\n",
        "yaml.too_deep": "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "yaml.too_many_nodes": "a: [" + "1," * MAX_NODES + "1]",
        "yaml.too_large": "# " + "x" * MAX_BYTES,
        "yaml.bad_value": "a: 2024-13-01",
    }
    texts = set()
    for rule, text in cases.items():
        (problem,) = refused(text)
        assert problem.rule == rule
        texts.add(problem.message(lang))
        assert "{" not in problem.message(lang)
    assert len(texts) == len(cases)


def test_vietnamese_and_english_explanations_differ() -> None:
    (problem,) = refused("a: &x 1\nb: *x\n")
    assert problem.message("vi") != problem.message("en")
    assert "alias" in problem.message("en") and "x" in problem.message("en")


# -- depth, size, count ---------------------------------------------------------------------
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 500_000])
def test_nesting_deeper_than_the_limit_is_a_problem_not_a_crash(depth: int) -> None:
    """5,000 levels raised RecursionError in the composer (a traceback, a 500 on the site)."""
    (problem,) = refused("a: 1\nb: " + "[" * depth + "]" * depth)
    assert problem.rule == "yaml.too_deep" and problem.row == 2


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1  # the document's own mapping is one level
    report = ProblemReport()
    doc = load_yaml(("a: " + "[" * depth + "]" * depth).encode(), "f.yaml", report)
    assert not report and doc is not None


def test_more_values_than_the_limit_are_refused() -> None:
    (problem,) = refused("a:\n" + "  - 1\n" * (MAX_NODES + 1))
    assert problem.rule == "yaml.too_many_nodes"


def test_a_file_over_the_limit_is_refused_before_it_is_parsed() -> None:
    (problem,) = refused(b"a: " + b"x" * MAX_BYTES)
    assert problem.rule == "yaml.too_large" and problem.row is None


@pytest.mark.parametrize(
    "value",
    [
        "2024-13-01",  # month 13
        "2024-02-30",
        "9" * 5000,  # beyond Python's 4,300-digit conversion limit
        "!!float abc",
        "!!int ''",
        "!!timestamp yesterday",
    ],
)
def test_a_value_yaml_cannot_convert_is_a_problem_naming_its_line(value: str) -> None:
    (problem,) = refused(f"a: 1\nb: {value}\n")
    assert problem.rule == "yaml.bad_value" and problem.row == 2
    assert problem.render("en") and problem.render("vi")


def test_the_built_in_files_read_as_before(tmp_path: Path) -> None:
    framework, report = read_framework(FRAMEWORK)
    assert framework is not None and not report
    assert load_archive() is not None


# -- every reader goes through the loader -----------------------------------------------------
def _framework(path: Path) -> ProblemReport:
    return read_framework(path)[1]


def _instrument(path: Path) -> ProblemReport:
    return read_instrument(path)[1]


def _archive(path: Path) -> ProblemReport:
    """The archive's sources.yaml problems (its folder has no figures: that problem is left
    out)."""
    (path.parent / "sources.yaml").write_bytes(path.read_bytes())
    found = ProblemReport()
    try:
        load_archive(path.parent)
    except Refusal as exc:
        for p in exc.report:
            if p.rule != "file.not_found":
                found.add(p.rule, p.file, p.row, p.column, **p.params)
    return found


def _checked_text(path: Path) -> ProblemReport:
    try:
        framework_from_text(path.read_text("utf-8"), path.name)
    except Refusal as exc:
        return exc.report
    return ProblemReport()


READERS: dict[str, Callable[[Path], ProblemReport]] = {
    "framework file": _framework,
    "framework text (upload, check, versions)": _checked_text,
    "survey instrument": _instrument,
    "archive sources.yaml": _archive,
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_yaml_reader_refuses_the_alias_bomb(reader: str, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(alias_bomb(24), encoding="utf-8")
    with measured() as cost:
        report = READERS[reader](path)
    assert "yaml.alias" in report.rules and len(report) == 1
    assert cost["seconds"] < 0.5


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_yaml_reader_reports_deep_nesting_and_bad_values(reader: str, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    for text, rule in (
        ("a: " + "[" * 9000 + "]" * 9000, "yaml.too_deep"),
        ("a: 2024-13-01", "yaml.bad_value"),
    ):
        path.write_text(text, encoding="utf-8")
        assert READERS[reader](path).rules == {rule}


# -- the budget -------------------------------------------------------------------------------
def _criteria(count: int, guidance: int = 10) -> str:
    """A framework of ``count`` criteria, each with a guidance text."""
    head = FRAMEWORK.read_text("utf-8").split("\nnodes:")[0]
    text = "Hướng dẫn " * guidance
    nodes = "".join(
        f"  - {{code: '{i}', name_vi: 'Tiêu chí {i}', max: 1, guidance: '{text}'}}\n"
        for i in range(1, count + 1)
    )
    return head + "\nnodes:\n" + nodes


BIG = {
    "one long text": "a: '" + "x" * (MAX_BYTES - 100) + "'\n",
    "a flat list of small numbers": "a: [" + "1," * 900_000 + "1]\n",
    "a long block list": "a:\n" + "  - 1\n" * 300_000,
    "many keys": "".join(f"k{i}: {i}\n" for i in range(120_000)),
    "nesting at the limit, repeated": "a:\n"
    + ("  - " + "[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3) + "\n") * 2000,
    "deep nesting": "a: " + "[" * 900_000 + "]" * 900_000,
    "criteria near the value limit": _criteria(MAX_NODES // 12),
    "a framework of many criteria": _criteria(8000, guidance=2),
    "the alias bomb, 40 levels": alias_bomb(40),
}


@pytest.mark.parametrize("case", sorted(BIG))
def test_a_file_under_2_mb_is_read_within_budget_or_refused(case: str, tmp_path: Path) -> None:
    text = BIG[case]
    assert len(text.encode("utf-8")) < 2 * 2**20
    path = tmp_path / "khung.yaml"
    path.write_text(text, encoding="utf-8")
    with measured() as cost:
        read_framework(path)
    assert cost["seconds"] < SECONDS, cost
    assert cost["mb"] < MEGABYTES, cost


FRAGMENTS = [
    "1", "-1", "1e999", ".nan", "~", "yes", "on", "''", '"\\x07"', '"\\u0000"', "2024-13-01",
    "9" * 4400, "!!int ''", "!!float x", "!!binary '#'", "!!timestamp x", "!!set {a, b}",
    "!!omap [a: 1]", "!!python/name:os.system", "!!str 1", "&a 1", "*a", "&b [*a, *a]",
    "{<<: {x: 1}}", "{? [1, 2] : 3}", "'ở'", "Sở Tư pháp", "[", "}", ": x", "- -",
]  # fmt: skip


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """A small YAML value made of ``FRAGMENTS`` (valid, hostile or broken), then amplified:
    repeated in a list and nested, up to about 2 MB, as the budget asks."""
    values = st.recursive(
        st.sampled_from(FRAGMENTS) | st.text(max_size=20).map(repr),
        lambda inner: (
            st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
            | st.dictionaries(
                st.sampled_from(["code", "a", "b", "nodes", "children"]), inner, max_size=3
            ).map(lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}")
        ),
        max_leaves=8,
    )
    item = draw(values)
    repeat = draw(st.sampled_from([1, 10, 1_000, 50_000]))
    depth = draw(st.sampled_from([0, 3, MAX_DEPTH, 2_000]))
    body = "[" * depth + ", ".join([item] * repeat) + "]" * depth
    head = draw(st.sampled_from(["", "format: 1\ncode: t\n", FRAMEWORK.read_text("utf-8")]))
    return (head + "\nextra: " + body + "\n")[: 2 * 2**20 - 1]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=yaml_texts())
def test_any_yaml_text_is_read_within_budget_or_refused_with_problems(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(text, encoding="utf-8")
    for reader in READERS.values():
        with measured() as cost:
            report = reader(path)
        assert cost["seconds"] < SECONDS and cost["mb"] < MEGABYTES, cost
        assert len(list(report)) <= 200
        for problem in report:
            assert problem.render("vi") and problem.render("en")


def test_keys_are_read_as_written_not_as_yaml_1_1_booleans_or_numbers() -> None:
    report = ProblemReport()
    doc = load_yaml(b"on: total\nyes: 1\n1.10: a\n2024: b\n'quoted': c\n", "f.yaml", report)
    assert not report
    assert list(doc) == ["on", "yes", "1.10", "2024", "quoted"]
    assert doc["on"] == "total" and doc.key_lines["1.10"] == 3


def test_a_framework_that_groups_on_the_total_groups_on_the_total() -> None:
    text = FRAMEWORK.read_text("utf-8")
    assert "    on: index\n" in text
    fw = framework_from_text(text.replace("    on: index\n", "    on: total\n"), "fw.yaml")
    assert fw.groups is not None and fw.groups.on == "total"
