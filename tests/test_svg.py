"""The SVG primitives every drawing shares: escaping that keeps the image well-formed, compact
coordinates, text cut and wrapped to a width, round axis steps, and text colours readable on
any background. The maps use the same escaping as the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from chiso.reports.choropleth import Feature, choropleth_svg
from chiso.reports.svg import (
    NO_DATA,
    axis_decimals,
    axis_scale,
    axis_ticks,
    contrast_ratio,
    esc,
    fit,
    labelled_svg,
    num,
    readable_text,
    text,
    text_width,
    wrap,
)
from chiso.reports.tilemap import PALETTE, tile_map_svg

PASTED = "Sở A&B <Thử> \"nháy\"\x01\x0b 'đơn'"  # a name pasted from a spreadsheet


def test_escaping_makes_markup_text_and_drops_the_control_characters_xml_forbids() -> None:
    assert esc(PASTED) == "Sở A&amp;B &lt;Thử&gt; &quot;nháy&quot; &#x27;đơn&#x27;"
    assert esc("tab\tand\nline") == "tab\tand\nline"  # white space XML allows stays
    root = ET.fromstring(f"<t a='{esc(PASTED)}'>{esc(PASTED)}</t>")
    assert root.text == root.get("a") == "Sở A&B <Thử> \"nháy\" 'đơn'"


def test_coordinates_have_at_most_two_decimals_and_never_a_negative_zero() -> None:
    assert [num(x) for x in (12.0, 12.5, 12.345, 0.0, -0.001, -3.1)] == [
        "12",
        "12.5",
        "12.35",
        "0",
        "0",
        "-3.1",
    ]


def test_text_is_an_escaped_element_at_its_place() -> None:
    element = ET.fromstring(text(16, 20.5, PASTED, 11, "end", "#4d4d4d", bold=True, cls="note"))
    assert element.attrib == {
        "x": "16",
        "y": "20.5",
        "font-size": "11",
        "text-anchor": "end",
        "fill": "#4d4d4d",
        "font-weight": "bold",
        "class": "note",
    }
    assert element.text == "Sở A&B <Thử> \"nháy\" 'đơn'"


def test_long_text_is_wrapped_between_words_and_cut_with_an_ellipsis() -> None:
    title = "Chỉ số cải cách hành chính của các sở, ban, ngành tỉnh Thái Nguyên"
    lines = wrap(title, 12, 150)
    assert len(lines) > 1 and " ".join(lines) == title
    assert all(text_width(line, 12) <= 150 for line in lines if " " in line)
    cut = fit(title, 12, 150)
    assert cut.endswith("…") and text_width(cut, 12) <= 150
    assert fit("Hà Nội", 12, 150) == "Hà Nội"
    assert text_width("Hà Nội", 12, bold=True) > text_width("Hà Nội", 12)


@pytest.mark.parametrize(
    ("low", "high", "target", "expected"),
    [
        (73.25, 91.04, 5, (70.0, 95.0, 5.0)),
        (82.01, 88.0, 4, (82.0, 88.0, 2.0)),
        (0.12, 0.93, 5, (0.0, 1.0, 0.2)),
        (50.0, 50.0, 5, (49.0, 51.0, 0.5)),  # a single value still gets an axis
    ],
)
def test_axes_run_on_round_steps_around_the_values(
    low: float, high: float, target: int, expected: tuple[float, float, float]
) -> None:
    assert axis_scale(low, high, target) == pytest.approx(expected)


def test_tick_labels_have_the_decimals_their_step_needs() -> None:
    assert [axis_decimals(step) for step in (5.0, 2.5, 0.2, 0.25, 0.0001)] == [0, 1, 1, 2, 4]
    assert axis_ticks(70.0, 95.0, 5.0) == [70.0, 75.0, 80.0, 85.0, 90.0, 95.0]


def test_text_on_any_background_reaches_wcag_aa_contrast() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    for background in ("#ffffff", "#eff3ff", "#08519c", "#f4a259", "#1a7f37", "#c0392b"):
        assert contrast_ratio(readable_text(background), background) >= 4.5
    assert readable_text("#ffffff") == "#000000" and readable_text("#000000") == "#ffffff"


def test_the_maps_frame_is_an_image_named_by_its_title() -> None:
    root = ET.fromstring(labelled_svg("0 0 10 20", PASTED, "tilemap") + "</svg>")
    assert root.get("role") == "img" and root.get("class") == "tilemap"
    assert root.get("viewBox") == "0 0 10 20"
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert root.get("aria-label") == title.text == "Sở A&B <Thử> \"nháy\" 'đơn'"


def test_both_maps_stay_well_formed_with_a_pasted_name_and_grey_no_data_alike() -> None:
    assert PALETTE[-1] == NO_DATA
    tiles = tile_map_svg({}, {"Hà Nội": PASTED}, PASTED)
    ET.fromstring(tiles)
    square = [[(105.0, 21.0), (106.0, 21.0), (106.0, 22.0), (105.0, 21.0)]]
    shapes = [Feature("Hà Nội", [square]), Feature("Cà Mau", [square])]
    drawn = choropleth_svg(shapes, {"Hà Nội": "#1a7f37"}, {"Hà Nội": PASTED}, PASTED)
    ET.fromstring(drawn.svg)
    assert f'fill="{NO_DATA}"' in drawn.svg and f'fill="{NO_DATA}"' in tiles


def test_readable_text_reaches_wcag_aa_on_every_grey_and_every_palette_colour() -> None:
    """The promise of readable_text, checked where it is hardest (the greys, among them the
    maps' no-data #7b7b7b) and on a sweep of colours."""
    backgrounds = [f"#{v:02x}{v:02x}{v:02x}" for v in range(256)]
    backgrounds += [
        f"#{r:02x}{g:02x}{b:02x}"
        for r in range(0, 256, 17)
        for g in range(0, 256, 17)
        for b in range(0, 256, 51)
    ]
    for background in backgrounds:
        assert contrast_ratio(readable_text(background), background) >= 4.5, background
