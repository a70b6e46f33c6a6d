"""Charts as SVG: well-formed and accessible, bars proportional to the values, the caterpillar's
order and highlighted unit, the decimal comma, escaped names, and the data tables beside them.
(Reading the results document is specified in test_results_document.py, the SVG primitives in
test_svg.py.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from chiso.frameworks import get_framework
from chiso.reports import charts, results_document
from chiso.reports.charts import DomainBar, DomainBars, Estimate, HistoryPoint
from chiso.reports.svg import ACCENT, HIGHLIGHT_BAND, WHITE, contrast_ratio
from chiso.scoring.document import from_json

SVG = "{http://www.w3.org/2000/svg}"
FW = get_framework("example-department-2024")
PAR = get_framework("par-province-2019")
ODD = "Sở A&B <Thử> \"nháy\" 'đơn'"


def _unit(name: str, rank: int | None, points: dict[str, Any], **more: Any) -> dict[str, Any]:
    total = sum(v for v in points.values() if isinstance(v, float | int))
    return {"unit": name, "rank": rank, "total": total, "index": total, "points": points, **more}


@pytest.fixture
def doc() -> dict[str, Any]:
    codes = [n.code for n in FW.domains]

    def points(*values: Any) -> dict[str, Any]:
        return dict(zip(codes, values, strict=True))

    return {
        "units": [
            _unit("Sở Tư pháp", 2, points(9.25, 16.5, 7.75, 9.5, 8.25, 11.75, 17.0)),
            _unit("Sở Y tế", 1, points(11.0, 18.0, 9.0, 12.0, 9.5, 13.0, 18.5)),
            _unit(ODD, 3, points(6.0, 12.0, 5.0, 8.0, "NA", 9.0, 15.0)),
            _unit("Sở chưa đủ", None, points(*[None] * 7), status="incomplete"),
        ]
    }


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("font-family", "").startswith("'Noto Sans'")
    assert root.find(f".//{SVG}script") is None and "<script" not in svg
    assert not any(k.startswith("on") for e in root.iter() for k in e.attrib)
    for text in root.iter(f"{SVG}text"):
        fill = text.get("fill", "#000000")
        for background in (WHITE, HIGHLIGHT_BAND):
            assert contrast_ratio(fill, background) >= 4.5, (fill, text.text)
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == cls]


def test_domain_bars_are_proportional_to_the_points_against_the_maximum(
    doc: dict[str, Any],
) -> None:
    bars = charts.domain_bars(from_json(doc), FW, "Sở Tư pháp")
    root = parse(charts.domain_bars_svg(bars, precision=FW.precision))
    tracks = by_class(root, "rect", "track")
    drawn = by_class(root, "rect", "bar")
    assert len(tracks) == len(drawn) == len(FW.domains)
    track_width = float(tracks[0].get("width", "0"))
    for rect, node in zip(drawn, FW.domains, strict=True):
        value = doc["units"][0]["points"][node.code]
        assert node.max is not None
        assert float(rect.get("width", "0")) == pytest.approx(
            track_width * value / node.max, abs=0.01
        )
    # the mean of the ranked units (the incomplete one is left out) and the best of them
    mean = (9.25 + 11.0 + 6.0) / 3
    assert bars.domains[0].mean == pytest.approx(mean)
    assert bars.domains[0].best == 11.0 and bars.domains[0].best_units == ("Sở Y tế",)
    line = by_class(root, "line", "mean")[0]
    x0 = float(tracks[0].get("x", "0"))
    assert float(line.get("x1", "0")) == pytest.approx(x0 + track_width * mean / 12, abs=0.01)
    assert len(by_class(root, "polygon", "best")) == len(FW.domains)
    shown = texts(root)
    assert "9,25 / 12,00" in shown  # a decimal comma
    assert "Trung bình các đơn vị xếp hạng" in shown and "Sở Tư pháp" in shown  # the legend


def test_a_domain_that_does_not_apply_has_no_bar_and_says_so(doc: dict[str, Any]) -> None:
    bars = charts.domain_bars(from_json(doc), FW, ODD, "en")
    root = parse(charts.domain_bars_svg(bars, "en"))
    assert len(by_class(root, "rect", "bar")) == len(FW.domains) - 1
    assert "NA" in texts(root) and "6.00 / 12.00" in texts(root)
    table = charts.domain_bars_table(bars, "en")
    assert table.rows[4][1] == "NA"


def test_unknown_maxima_are_drawn_against_the_best_and_say_so() -> None:
    codes = [n.code for n in PAR.domains]
    doc = {
        "units": [
            _unit("Hà Nội", 2, {c: 10.0 for c in codes}),
            _unit("Quảng Ninh", 1, {c: 12.5 for c in codes}),
        ]
    }
    bars = charts.domain_bars(from_json(doc), PAR, "Hà Nội")
    assert all(d.maximum is None for d in bars.domains)
    root = parse(charts.domain_bars_svg(bars))
    track = float(by_class(root, "rect", "track")[0].get("width", "0"))
    for rect in by_class(root, "rect", "bar"):
        assert float(rect.get("width", "0")) == pytest.approx(track * 10 / 12.5, abs=0.01)
    assert any("chưa công bố" in t for t in by_class_texts(root, "note"))
    assert "10,00 *" in texts(root)
    table = charts.domain_bars_table(bars)
    assert table.headers == (
        "Lĩnh vực",
        "Điểm",
        "Điểm tối đa",
        "Trung bình",
        "Cao nhất",
        "Đơn vị cao nhất",
    )
    assert table.rows[0][1:] == ("10,00", "chưa công bố", "11,25", "12,50", "Quảng Ninh")


def by_class_texts(root: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in by_class(root, "text", cls)]


def test_a_domain_part_that_does_not_apply_lowers_the_units_own_maximum(
    doc: dict[str, Any],
) -> None:
    doc["units"][0]["points"]["5.2"] = "NA"
    part = FW.node("5.2").max
    assert part is not None
    bars = charts.domain_bars(from_json(doc), FW, "Sở Tư pháp")
    assert bars.domains[4].applicable_maximum == pytest.approx(10.0 - part)
    assert all(d.applicable_maximum is None for i, d in enumerate(bars.domains) if i != 4)
    root = parse(charts.domain_bars_svg(bars))
    own = f"{10.0 - part:.2f}".replace(".", ",")
    assert f"8,25 / {own} †" in texts(root)
    assert len(by_class(root, "rect", "not-applicable")) == 1
    assert any(t.startswith("† ") for t in by_class_texts(root, "note"))
    row = charts.domain_bars_table(bars).rows[4]
    assert row[2] == f"10,00 (áp dụng: {own})"


def test_the_domain_table_matches_the_points(doc: dict[str, Any]) -> None:
    table = charts.domain_bars_table(charts.domain_bars(from_json(doc), FW, "Sở Tư pháp"))
    assert len(table.rows) == len(FW.domains)
    assert table.rows[1] == (
        "2. Cải cách thủ tục hành chính",
        "16,50",
        "20,00",
        "15,50",
        "18,00",
        "Sở Y tế",
    )
    assert table.numeric == (False, True, True, True, True, False)
    assert all(len(row) == len(table.headers) for row in table.rows)


def test_domain_means_chart_the_mean_of_the_ranked_units(doc: dict[str, Any]) -> None:
    means = charts.domain_means(from_json(doc), FW)
    assert means.domains[0].value == pytest.approx((9.25 + 11.0 + 6.0) / 3)
    root = parse(charts.domain_bars_svg(means))
    assert not by_class(root, "line", "mean")  # the bars are the means
    assert charts.domain_bars_table(means).headers[1] == "Trung bình"


def test_names_with_ampersands_and_angle_brackets_are_escaped(doc: dict[str, Any]) -> None:
    bars = charts.domain_bars(from_json(doc), FW, ODD)
    svg = charts.domain_bars_svg(bars)
    assert "A&B" not in svg and "<Thử>" not in svg
    root = parse(svg)
    assert ODD in texts(root)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == f"{ODD}: điểm theo lĩnh vực"
    estimates = [Estimate(ODD, 80.0, 1.0), Estimate("Sở Y tế", 90.0, 1.0)]
    root = parse(charts.caterpillar_svg(estimates, highlight=ODD))
    rows = by_class(root, "g", "row")
    assert [r.get("data-unit") for r in rows] == ["Sở Y tế", ODD]
    root = parse(charts.history_svg([HistoryPoint("<2024> & co", 80.0, 1)], subject=ODD))
    assert "<2024> & co" in texts(root)


def test_a_chart_of_a_unit_that_is_not_in_the_results_names_the_closest(
    doc: dict[str, Any],
) -> None:
    with pytest.raises(results_document.UnitNotFound) as caught:
        charts.domain_bars(from_json(doc), FW, "so tu phap")
    assert caught.value.suggestions[0] == "Sở Tư pháp"


def test_history_is_a_line_with_gaps_for_years_without_a_cycle() -> None:
    points = [
        HistoryPoint("2019", 82.01, 20, 2019),
        HistoryPoint("2020", 85.74, 10, 2020),
        HistoryPoint("2022", 86.5, 8, 2022),
        HistoryPoint("2023", None, None, 2023),
        HistoryPoint("2024", 88.0, 5, 2024),
    ]
    root = parse(charts.history_svg(points, subject="Phú Thọ", precision=2))
    assert len(by_class(root, "path", "line")) == 1  # 2019–2020; 2022 and 2024 stand alone
    circles = by_class(root, "circle", "point")
    assert [c.get("data-label") for c in circles] == ["2019", "2020", "2022", "2024"]
    shown = texts(root)
    assert {"2019", "2020", "2021", "2022", "2023", "2024"} <= set(shown)
    assert "85,74" in by_class_texts(root, "value") and "hạng 10" in by_class_texts(root, "rank")
    # a higher index is drawn higher
    ys = {c.get("data-label"): float(c.get("cy", "0")) for c in circles}
    assert ys["2019"] > ys["2020"] > ys["2022"] > ys["2024"]
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "không có số liệu: 2021, 2023" in (desc.text or "")
    table = charts.history_table(points, subject="Phú Thọ")
    assert table.headers == ("Kỳ đánh giá", "Chỉ số (%)", "Xếp hạng")
    assert table.rows[0] == ("2019", "82,01", "20") and table.rows[3] == ("2023", "—", "—")


def test_history_with_one_point_and_without_years() -> None:
    root = parse(charts.history_svg([HistoryPoint("2024", 91.87, 2, 2024)], "en"))
    assert len(by_class(root, "circle", "point")) == 1 and not by_class(root, "path", "line")
    assert "91.87" in texts(root) and "rank 2" in texts(root)
    points = [HistoryPoint("đợt 1", 70.0), HistoryPoint("đợt 2", 75.5)]
    root = parse(charts.history_svg(points))
    assert len(by_class(root, "path", "line")) == 1
    labels = [c.get("data-label") for c in by_class(root, "circle", "point")]
    assert labels == ["đợt 1", "đợt 2"]


def test_the_caterpillar_sorts_units_and_highlights_one() -> None:
    estimates = [
        Estimate("Hà Nội", 88.0, se=1.0),
        Estimate("Quảng Ninh", 91.04, se=0.5),
        Estimate("Bắc Giang", 88.0, se=2.0),  # tie: Vietnamese order of names
        Estimate("Quảng Ngãi", 73.25, low=70.0, high=75.0),
        Estimate("Cà Mau", 80.0),  # no interval: a point only
    ]
    root = parse(charts.caterpillar_svg(estimates, highlight="Hà Nội", precision=2))
    rows = by_class(root, "g", "row")
    order = ["Quảng Ninh", "Bắc Giang", "Hà Nội", "Cà Mau", "Quảng Ngãi"]
    assert [r.get("data-unit") for r in rows] == order
    marked = [r for r in rows if r.get("data-highlight") == "true"]
    assert [r.get("data-unit") for r in marked] == ["Hà Nội"]
    assert marked[0].find(f"{SVG}rect") is not None  # the shaded row
    assert {c.get("fill") for c in marked[0].iter(f"{SVG}circle")} == {ACCENT}
    assert len(by_class(root, "line", "interval")) == 4
    # the interval of Hà Nội is 88 ± 1.96, drawn on the same scale as the estimate
    line = next(marked[0].iter(f"{SVG}line"))
    dot = next(marked[0].iter(f"{SVG}circle"))
    x1, x2, cx = (float(e.get(k, "0")) for e, k in ((line, "x1"), (line, "x2"), (dot, "cx")))
    assert cx - x1 == pytest.approx(x2 - cx, abs=0.02)
    assert "88,00 (86,04–89,96)" in texts(root)
    mean = sum(e.value for e in estimates) / len(estimates)
    assert any(t == f"Trung bình {mean:.2f}".replace(".", ",") for t in texts(root))
    table = charts.caterpillar_table(estimates, "en")
    assert [r[0] for r in table.rows] == order
    assert table.rows[2] == ("Hà Nội", "88.00", "1.00", "86.04", "89.96")
    assert table.rows[4] == ("Quảng Ngãi", "73.25", "—", "70.00", "75.00")
    assert table.rows[3][2:] == ("—", "—", "—")


def test_the_caterpillar_grows_with_the_number_of_units() -> None:
    def height(count: int) -> float:
        items = [Estimate(f"Tỉnh {i:02d}", 70 + i * 0.4, 1.0) for i in range(count)]
        root = parse(charts.caterpillar_svg(items, highlight="Tỉnh 10"))
        assert len(by_class(root, "g", "row")) == count
        return float(root.get("height", "0"))

    assert height(63) > height(34) > height(10)
    assert height(63) / 63 >= 13


def test_estimates_and_history_points_come_from_the_results_document() -> None:
    doc = {
        "units": [
            {"unit": "A", "index": 80.0, "index_se": 1.0, "total": 80.0, "rank": 1},
            {"unit": "B", "index": None, "index_se": 1.0, "rank": None},
            {"unit": "C", "index": 70.0, "rank": 2},
        ],
    }
    assert charts.estimates(from_json(doc)) == [Estimate("A", 80.0, 1.0)]
    assert charts.estimates(from_json(doc), "total") == []
    assert charts.history_point(from_json(doc), "C", "2023", 2023) == HistoryPoint(
        "2023", 70.0, 2, 2023
    )
    assert charts.history_point(from_json(doc), "Z", "2023").index is None


def test_charts_in_english_use_a_decimal_point_and_english_labels() -> None:
    bars = DomainBars(
        "Unit", (DomainBar("1", "Direction", 7.5, 10.0, mean=6.25, best=9.0, best_units=("X",)),)
    )
    svg = charts.domain_bars_svg(bars, "en")
    root = parse(svg)
    assert "7.50 / 10.00" in texts(root) and "Mean of the ranked units" in texts(root)
    assert not any(re.search(r"\d,\d", t) for t in texts(root))
