"""Design-based estimates equal R's survey package (svymean/svyby with na.rm and deff,
svyciprop logit, svycontrast) to 1e-9, on stratified clustered designs with unequal weights,
missing answers, cross-cutting domains, lonely PSUs under each policy, an FPC, a PAPI-like
multi-stage design, post-stratified and raked. Golden outputs: tests/golden/surveys
(regenerate with tests/reference/survey_reference.R); when R is installed the suite also
re-runs it."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from chiso.surveys import DesignError, SurveyDesign
from conftest import require_tool

GOLDEN = Path(__file__).parent / "golden" / "surveys"
REFERENCE = Path(__file__).parent / "reference" / "survey_reference.R"
ITEMS = ["q1", "q2", "q3", "q4", "score"]
CASES = [
    # (golden name, data, strata, psu, fpc, domain, policy)
    ("stratclus__fail", "stratclus", "stratum", "psu", None, "region", "fail"),
    ("lonely__certainty", "lonely", "stratum", "psu", None, "region", "certainty"),
    ("lonely__remove", "lonely", "stratum", "psu", None, "region", "remove"),
    ("lonely__adjust", "lonely", "stratum", "psu", None, "region", "adjust"),
    ("lonely__average", "lonely", "stratum", "psu", None, "region", "average"),
    ("fpc__fail", "fpc", "stratum", "psu", "fpc", "region", "fail"),
    ("papi__fail", "papi", "province", "district", None, "province", "fail"),
    ("papi-sex__fail", "papi", "province", "district", None, "sex", "fail"),
    ("papi-poststrat__fail", "papi", "province", "district", None, "province", "fail"),
    ("papi-rake__fail", "papi", "province", "district", None, "province", "fail"),
]
# comparisons in the golden outputs: every estimate, SE, deff, bound and df of every design
# (GOLDEN_ESTIMATES) and of every linear combination (GOLDEN_CONTRASTS); a live run of R must
# produce and match exactly as many
GOLDEN_ESTIMATES = 1800
GOLDEN_CONTRASTS = 1152
SEX = {"nam": 1_800_000, "nữ": 1_950_000}
AGE = {"trẻ": 2_100_000, "già": 1_650_000}


def _age(d: dict[str, list[str]]) -> list[str]:
    """As the R script: every other village label, in order of first appearance, is young."""
    young = set(list(dict.fromkeys(d["village"]))[::2])
    return ["trẻ" if v in young else "già" for v in d["village"]]


CALIBRATION = {
    "papi-poststrat__fail": lambda des, d: des.post_stratify(d["sex"], SEX),
    "papi-rake__fail": lambda des, d: des.rake([(d["sex"], SEX), (_age(d), AGE)]),
}


def load(name: str) -> dict[str, list[str]]:
    with open(GOLDEN / f"{name}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {k: [r[k] for r in rows] for k in rows[0]}


def numbers(column: list[str]) -> np.ndarray:
    return np.array([float(x) if x not in ("", "NA") else np.nan for x in column])


Calibrate = Callable[[SurveyDesign, dict[str, list[str]]], SurveyDesign]


def design_of(
    data: str,
    strata: str,
    psu: str,
    fpc: str | None,
    policy: str,
    calibrate: Calibrate | None = None,
) -> tuple[SurveyDesign, dict[str, list[str]], np.ndarray]:
    """The design R builds for ``data``, the data, and the items' answers (NaN: not answered)."""
    d = load(data)
    design = SurveyDesign(
        weights=numbers(d["w"]),
        strata=d[strata],
        psu=d[psu],
        fpc=None if fpc is None else numbers(d[fpc]),
        lonely_psu=policy,
    )
    if calibrate is not None:
        design = calibrate(design, d)
    return design, d, np.column_stack([numbers(d[i]) for i in ITEMS])


def estimate(
    data: str,
    strata: str,
    psu: str,
    fpc: str | None,
    domain: str,
    policy: str,
    calibrate: Calibrate | None = None,
):  # type: ignore[no-untyped-def]
    design, d, y = design_of(data, strata, psu, fpc, policy, calibrate)
    national, _ = design.mean(y)
    by, labels = design.mean(y, d[domain])
    return national, by, [str(x) for x in labels]


def compare(reference: dict[str, list[str]], national, by, labels) -> int:  # type: ignore[no-untyped-def]
    checked = 0
    for i, (domain, item) in enumerate(zip(reference["domain"], reference["item"], strict=True)):
        k = ITEMS.index(item)
        source, row = (national, 0) if domain == "all" else (by, labels.index(domain))
        for ours, theirs in (
            (source.estimate, "estimate"),
            (source.se, "se"),
            (source.deff, "deff"),
            (source.logit_low, "logit_low"),
            (source.logit_high, "logit_high"),
        ):
            expected = numbers([reference[theirs][i]])[0]
            got = ours[row, k]
            if np.isnan(expected):
                assert np.isnan(got), (domain, item, theirs)
            else:
                # R's logit interval comes from svyglm's iterative fit (convergence 1e-8 on the
                # deviance), which leaves about 1e-9 of error in R's own bounds
                tol = 5e-9 if theirs.startswith("logit") else 1e-9
                assert got == pytest.approx(expected, abs=tol, rel=tol), (domain, item, theirs)
            checked += 1
    return checked


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_estimates_equal_r_survey_golden_outputs(case) -> None:  # type: ignore[no-untyped-def]
    name, *spec = case
    national, by, labels = estimate(*spec, CALIBRATION.get(name))
    assert compare(load(name), national, by, labels) >= 75


def test_estimates_equal_r_survey_run_now(tmp_path: Path) -> None:
    """R's survey package run now on the same designs. CI installs R (.ci/run), so there a
    missing R is a failure, not a skip; elsewhere the golden outputs above stand in for it."""
    require_tool("Rscript", "R with its survey package")
    subprocess.run(["Rscript", str(REFERENCE), str(tmp_path)], check=True, capture_output=True)
    estimates = contrasts = 0
    for name, *spec in CASES:
        with open(tmp_path / f"{name}.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        fresh = {k: [r[k] for r in rows] for k in rows[0]}
        national, by, labels = estimate(*spec, CALIBRATION.get(name))
        estimates += compare(fresh, national, by, labels)
        with open(tmp_path / f"{name}__contrasts.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        fresh = {k: [r[k] for r in rows] for k in rows[0]}
        contrasts += compare_contrasts(fresh, *combine(*spec, CALIBRATION.get(name)))
    # every design R wrote was compared, row by row: as many as the golden outputs hold
    assert estimates == GOLDEN_ESTIMATES, estimates
    assert contrasts == GOLDEN_CONTRASTS, contrasts


def test_a_lonely_psu_under_fail_is_an_error_naming_the_stratum() -> None:
    d = load("lonely")
    design = SurveyDesign(numbers(d["w"]), d["stratum"], d["psu"], lonely_psu="fail")
    with pytest.raises(DesignError) as caught:
        design.mean(numbers(d["q1"]))
    assert caught.value.rule == "survey.lonely_psu"


def test_weights_must_be_positive() -> None:
    with pytest.raises(DesignError):
        SurveyDesign([1.0, 0.0, 2.0])


# --- linear combinations of item means (svycontrast) ----------------------------------------


def coefficients() -> tuple[list[str], np.ndarray]:
    """The combinations R computes (tests/golden/surveys/contrasts.csv): a factor as the mean
    of three criteria in points out of 100, an index as the mean of two factors, a difference
    of two shares, and a mix with the 1–5 score."""
    table = load("contrasts")
    return table["contrast"], np.column_stack([numbers(table[i]) for i in ITEMS])


def combine(
    data: str,
    strata: str,
    psu: str,
    fpc: str | None,
    domain: str,
    policy: str,
    calibrate: Calibrate | None = None,
):  # type: ignore[no-untyped-def]
    design, d, y = design_of(data, strata, psu, fpc, policy, calibrate)
    by, labels, national = design.contrast_by(y, coefficients()[1], d[domain])
    return national, by, [str(x) for x in labels]


def compare_contrasts(reference: dict[str, list[str]], national, by, labels) -> int:  # type: ignore[no-untyped-def]
    names = coefficients()[0]
    checked = 0
    for i, (name, domain) in enumerate(
        zip(reference["contrast"], reference["domain"], strict=True)
    ):
        c = names.index(name)
        source, row = (national, 0) if domain == "all" else (by, labels.index(domain))
        for ours, theirs in (
            (source.estimate, "estimate"),
            (source.se, "se"),
            (source.ci_low, "ci_low"),
            (source.ci_high, "ci_high"),
        ):
            expected = float(reference[theirs][i])
            assert ours[row, c] == pytest.approx(expected, abs=1e-9, rel=1e-9), (name, domain)
            checked += 1
        assert source.df[row, c] == int(reference["df"][i]), (name, domain, "df")
    return checked


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_linear_combinations_of_means_equal_r_svycontrast_golden_outputs(case) -> None:  # type: ignore[no-untyped-def]
    name, *spec = case
    reference = load(f"{name}__contrasts")
    assert compare_contrasts(reference, *combine(*spec, CALIBRATION.get(name))) >= 48


def test_index_standard_error_counts_the_covariance_of_its_criteria() -> None:
    """The SIPAS-like index (the mean of two factors, each the mean of its criteria) is
    estimated from the same respondents in the same PSUs: its standard error equals R's, and
    the sum of the criteria's variances, which ignores their covariance, is far from it."""
    national, by, labels = combine("stratclus", "stratum", "psu", None, "region", "fail")
    reference = load("stratclus__fail__contrasts")
    design, d, y = design_of("stratclus", "stratum", "psu", None, "fail")
    means, _, means_all = design.mean_by(y, d["region"])
    names, c = coefficients()
    index = c[names.index("index")]
    for i, (name, domain) in enumerate(
        zip(reference["contrast"], reference["domain"], strict=True)
    ):
        if name != "index":
            continue
        source, parts, row = (
            (national, means_all, 0) if domain == "all" else (by, means, labels.index(domain))
        )
        r_se = float(reference["se"][i])
        assert source.se[row, names.index("index")] == pytest.approx(r_se, abs=1e-9, rel=1e-9)
        independent = float(np.sqrt(np.sum((index * parts.se[row]) ** 2)))
        # criteria shared by the same people are positively correlated: ignoring it understates
        assert independent < 0.9 * r_se, (domain, independent, r_se)


def test_a_combination_of_one_item_is_that_items_mean() -> None:
    design, d, y = design_of("lonely", "stratum", "psu", None, "average")
    means, _, means_all = design.mean_by(y, d["region"])
    by, _, national = design.contrast_by(y, np.eye(len(ITEMS)), d["region"])
    for ours, theirs in ((by, means), (national, means_all)):
        np.testing.assert_array_equal(ours.estimate, theirs.estimate)
        np.testing.assert_allclose(ours.se, theirs.se, rtol=1e-12)
        np.testing.assert_array_equal(ours.df, theirs.df)


def test_without_missing_answers_a_combination_is_the_mean_of_the_combined_score() -> None:
    """When everyone answered every item, Σ c_k·ȳ_k is the mean of the per-person score
    Σ c_k·y_k (R: svymean of the combined score), standard error included."""
    design, d, y = design_of("fpc", "stratum", "psu", "fpc", "fail")
    complete = ~np.isnan(y).any(axis=1)
    design = SurveyDesign(
        numbers(d["w"])[complete],
        np.asarray(d["stratum"])[complete],
        np.asarray(d["psu"])[complete],
        fpc=numbers(d["fpc"])[complete],
    )
    y, region = y[complete], np.asarray(d["region"])[complete]
    c = coefficients()[1]
    by, _, national = design.contrast_by(y, c, region)
    score, _, score_all = design.mean_by(y @ c.T, region)
    for ours, theirs in ((by, score), (national, score_all)):
        np.testing.assert_allclose(ours.estimate, theirs.estimate, rtol=1e-12)
        np.testing.assert_allclose(ours.se, theirs.se, rtol=1e-10)
        np.testing.assert_array_equal(ours.df, theirs.df)


def test_a_combination_needs_one_coefficient_per_item() -> None:
    design, _, y = design_of("stratclus", "stratum", "psu", None, "fail")
    with pytest.raises(ValueError):
        design.contrast_by(y, [1.0, 2.0])
