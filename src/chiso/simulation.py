"""Simulated score inputs for demonstrations and benchmarks: clearly not real results.

Every unit gets a latent "reform quality" and each leaf's reported value follows from it and
from the leaf's rule (a share for proportional rules, an option for choices, a count of
violations for deductions...), so a simulated table looks like a real one and exercises every
rule, including not-applicable leaves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from chiso.frameworks.model import Framework, Node
from chiso.i18n import gettext_noop
from chiso.surveys.instrument import Instrument, Scale

SIMULATED_NOTE = gettext_noop("DỮ LIỆU MÔ PHỎNG: không phải kết quả thật của bất kỳ đơn vị nào")
"""Printed beside every simulated result (translated when shown: ``gettext(SIMULATED_NOTE)``)."""

DEMO_DEPARTMENTS = (
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp",
)
DEMO_DEPARTMENTS_2025 = (
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh",
    "Ban Quản lý các khu công nghiệp",
)
"""The departments of a province after the restructuring of March 2025 (planning and
investment into finance; labour into home affairs; agriculture with natural resources and
environment; transport into construction; information and communications into science and
technology; ethnic affairs with religion): the demo's new Thái Nguyên assesses these."""

DEMO_DISTRICTS = (
    "Thành phố Thái Nguyên",
    "Thành phố Sông Công",
    "Thành phố Phổ Yên",
    "Huyện Định Hóa",
    "Huyện Phú Lương",
    "Huyện Đồng Hỷ",
    "Huyện Võ Nhai",
    "Huyện Đại Từ",
    "Huyện Phú Bình",
)


def _raw_value(node: Node, quality: float, rng: np.random.Generator) -> str:
    rule = node.rule
    share = float(np.clip(rng.normal(quality, 0.12), 0.0, 1.0))
    maximum = node.max or 1.0
    if rule.kind == "choice":
        ordered = sorted(rule.options, key=lambda o: -o.points)
        k = min(len(ordered) - 1, int((1 - share) * len(ordered)))
        return ordered[k].value
    if rule.kind == "yes_no":
        return "có" if share > 0.35 else "không"
    if rule.kind in ("bands", "proportional"):
        return f"{100 * share:.1f}"
    if rule.kind == "deduction":
        return str(int(rng.poisson(max(0.0, (1 - share) * 2.5))))
    # points: appraisers score in quarter points
    return f"{round(share * maximum * 4) / 4:g}"


def simulate_inputs(
    framework: Framework,
    units: tuple[str, ...] | list[str],
    seed: int = 2024,
    not_applicable: dict[str, float] | None = None,
) -> list[dict[str, str]]:
    """Rows ``{"unit": name, code: raw value, ...}`` for every leaf of ``framework``.

    ``not_applicable`` maps a leaf code to the probability that it does not apply to a unit.
    """
    rng = np.random.default_rng(seed)
    leaves = framework.leaves()
    rows = []
    for unit in units:
        quality = float(np.clip(rng.normal(0.72, 0.1), 0.3, 0.97))
        row = {"unit": unit}
        for leaf in leaves:
            p_na = (not_applicable or {}).get(leaf.code, 0.0)
            row[leaf.code] = "KAD" if rng.random() < p_na else _raw_value(leaf, quality, rng)
        rows.append(row)
    return rows


def simulate_leaf_shares(
    framework: Framework,
    units: tuple[str, ...] | list[str],
    seed: int,
    mean_total: float,
    sd_total: float,
) -> list[dict[str, str]]:
    """Rows for a framework whose leaf maxima are not public (PAR INDEX domains): a simulated
    total per unit, split over the leaves at random. Nothing here pretends to be a maximum."""
    rng = np.random.default_rng(seed)
    leaves = framework.leaves()
    rows = []
    for unit in units:
        total = float(np.clip(rng.normal(mean_total, sd_total), 0.6 * mean_total, 99.5))
        shares = rng.dirichlet(np.full(len(leaves), 40.0))
        row = {"unit": unit}
        for leaf, share in zip(leaves, shares, strict=True):
            row[leaf.code] = f"{total * share:.2f}"
        rows.append(row)
    return rows


def province_effects(seed: int) -> dict[str, float]:
    """A simulated, lasting "governance quality" per province of the 63, and for each of the
    34 the mean of its former provinces' (so a simulated series across 2025 hangs together)."""
    from chiso.units.provinces import MERGED_34, PROVINCES_63

    rng = np.random.default_rng(seed)
    old = {p: float(np.clip(rng.normal(0.0, 0.07), -0.2, 0.2)) for p in PROVINCES_63}
    new = {n: float(np.mean([old[p] for p in parts])) for n, parts in MERGED_34.items()}
    return old | {f"new:{n}": v for n, v in new.items()}


def simulate_scores(
    framework: Framework, effects: dict[str, float], seed: int, level: float = 0.55
) -> list[dict[str, str]]:
    """Rows of leaf scores for survey-style indices (PAPI sub-dimensions): each leaf between
    its minimum and maximum at ``level`` + the unit's effect + noise."""
    rng = np.random.default_rng(seed)
    leaves = framework.leaves()
    rows = []
    for unit, effect in effects.items():
        row = {"unit": unit}
        for leaf in leaves:
            top = leaf.max if leaf.max is not None else 1.0
            share = float(np.clip(rng.normal(level + effect, 0.06), 0.0, 1.0))
            row[leaf.code] = f"{leaf.min + share * (top - leaf.min):.4f}"
        rows.append(row)
    return rows


def simulate_responses(
    instrument: Instrument,
    effects: dict[str, float],
    seed: int,
    districts: int = 8,
    per_district: int = 25,
    level: float = 0.75,
) -> tuple[list[str], list[list[object]]]:
    """A simulated survey export for ``instrument``: respondents in ``districts`` districts
    (the first-stage units) of every province (the strata), a weight per respondent, answers
    on each item's scale with about 3 % left blank, and relevance rules respected (questions
    asked only of those who gave feedback are blank for the others).

    Each district has its own satisfaction around the province's, so answers cluster within
    districts as real ones do and the design effect is above one. Returns (header, rows)."""
    rng = np.random.default_rng(seed)
    role = {q.role: q.code for q in instrument.questions if q.role != "item"}
    items = instrument.items
    header = [q.code for q in instrument.questions] + ["trong_so", "form_version"]
    rows: list[list[object]] = []
    for province, effect in effects.items():
        for d in range(1, districts + 1):
            district_level = float(np.clip(rng.normal(level + effect, 0.05), 0.05, 0.99))
            # districts differ in size: respondents stand for different numbers of people
            weight = float(rng.lognormal(7.0, 0.4))
            for _ in range(per_district):
                answers: dict[str, object] = {
                    role.get("stratum", "tinh"): province,
                    role.get("psu", "huyen"): f"{province} – huyện {d}",
                }
                gave_feedback = rng.random() < 0.3
                for q in instrument.questions:
                    if q.role == "item":
                        continue
                    if q.code not in answers:
                        answers[q.code] = "1" if gave_feedback else "0"
                for q in items:
                    if q.relevant and not gave_feedback:
                        answers[q.code] = ""
                        continue
                    if rng.random() < 0.03:
                        answers[q.code] = ""
                        continue
                    answers[q.code] = _answer(q.scale, district_level, rng)
                row = [answers.get(q.code, "") for q in instrument.questions]
                rows.append([*row, round(weight, 3), instrument.version])
    return header, rows


def _answer(scale: Scale, satisfied_share: float, rng: np.random.Generator) -> str:
    """An option of ``scale``: one of its "satisfied" options with the given probability."""
    options = [o.value for o in scale.options]
    good = [o for o in options if o in scale.satisfied]
    bad = [o for o in options if o not in scale.satisfied and o not in scale.excluded]
    pool = good if rng.random() < satisfied_share else bad
    return str(pool[int(rng.integers(len(pool)))])


def simulated_survey_points(
    instrument: Instrument,
    framework: Framework,
    effects: dict[str, float],
    seed: int,
    folder: str | Path,
) -> Path:
    """A simulated survey export (see :func:`simulate_responses`) written to ``folder`` and
    taken through the steps of ``chiso survey estimate --points-out`` (strata = provinces,
    clusters = districts, weights): the points file with standard errors, whose path is
    returned."""
    from chiso.surveys.responses import read_responses
    from chiso.surveys.score_points import points_from_responses
    from chiso.tables.records import write_records

    header, rows = simulate_responses(instrument, effects, seed)
    export = Path(folder) / "khao-sat-mo-phong.csv"
    write_records(header, rows, export, "en", 6)
    data = read_responses(
        str(export),
        "trong_so",
        "tinh",
        "huyen",
        None,
        "tinh",
        [q.code for q in instrument.items],
        text_items=True,
    )
    points = Path(folder) / "diem-khao-sat.csv"
    write_records(
        ["unit", "node", "value", "se"],
        points_from_responses(data, instrument, framework, "trong_so", "tinh", "huyen", "tinh"),
        points,
        "en",
        6,
    )
    return points
