"""A province's page: PAR INDEX, SIPAS and PAPI side by side over the years, the long-run
facts, a chart with its table per index, and across 1 July 2025 the former provinces as they
were and the re-based figures marked as such. Public, GET only; 404 to a name that is no
province."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chiso.archive import Archive
from web.archive_helpers import loaded, unload

pytestmark = pytest.mark.django_db
__all__ = ["loaded"]  # the fixture


def _page(name: str, lang: str = "vi") -> str:
    response = Client().get(reverse("archive:province", args=[name]), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, table_id: str, year: int) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'<th scope="row">{year}</th>', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


def test_quang_ninh_side_by_side_with_published_values_ranks_and_sources(loaded: Archive) -> None:
    html = _page("Quảng Ninh")
    par = _row(html, "table-par-index", 2023)
    assert par[:2] == ["92,18", "1"]
    assert "seed003-par-sipas-2023" in par[-1]
    assert _row(html, "table-sipas", 2023)[:2] == ["90,61", "1"]
    papi = _row(html, "table-papi", 2024)
    # value, rank, rank in region, quartile named by PAPI 2021's edition (the code is "1")
    assert papi[:4] == ["47,8212", "1", "1/11", "Nhóm cao nhất"]
    assert "thứ hạng, nhóm do chiso tính" in papi[4]  # PAPI's ranks are derived, and say so


def test_the_long_run_facts_of_quang_ninh(loaded: Archive) -> None:
    html = _page("Quảng Ninh")
    section = html.split('id="par-index"', 1)[1].split("<figure", 1)[0]
    assert "Số lần xếp thứ nhất: <strong>6</strong> (2017, 2018, 2019, 2020, 2022, 2023)" in section


def test_every_index_with_two_values_has_a_chart_and_its_table(loaded: Archive) -> None:
    html = _page("Quảng Ninh")
    for anchor in ("par-index", "sipas", "papi"):
        section = html.split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]
        assert "<svg" in section and f'id="table-{anchor}"' in section


def test_papi_is_drawn_on_each_of_its_two_scales(loaded: Archive) -> None:
    """PAPI's total is out of 60 until 2017 and out of 80 from 2018: one line across the change
    would draw a rise that is only the new scale."""
    section = _page("Đà Nẵng").split('id="papi"', 1)[1].split("<h2", 1)[0]
    assert section.count("<svg") == 2
    assert "PAPI 2011–2017 — Đà Nẵng" in section and "PAPI 2018–2024 — Đà Nẵng" in section


def test_disagreeing_sources_are_both_shown_and_not_averaged(loaded: Archive) -> None:
    row = _row(_page("Hải Phòng"), "table-par-index", 2023)
    assert row[0] == "91,87 / 91,81"
    assert "các nguồn khác nhau" in row[4]
    assert "seed003-par-sipas-2023" in row[5] and "doanhnghiephoinhap-2024-04-26" in row[5]


def test_a_merged_province_shows_its_parts_and_marks_rebased_figures(loaded: Archive) -> None:
    html = _page("Hải Phòng")
    assert 'href="/archive/provinces/H%E1%BA%A3i%20D%C6%B0%C6%A1ng/"' in html
    rebased = _row(html, "rebased-papi", 2024)
    assert rebased[:2] == ["42,6492", "22"]  # re-based value and its rank among the 34
    assert rebased[2] == "Hải Phòng 42,7037; Hải Dương 42,5948"
    assert 'id="rebased-note"' in html and "không phải kết quả đã công bố" in html


def test_a_former_province_names_the_province_it_joined(loaded: Archive) -> None:
    html = _page("Hải Dương")
    assert "Từ ngày 1/7/2025 thuộc" in html
    assert f'href="{reverse("archive:province", args=["Hải Phòng"])}"' in html
    assert 'id="rebased"' not in html


def test_a_province_of_the_34_only_links_the_provinces_it_was_formed_from(loaded: Archive) -> None:
    html = _page("Huế")
    assert f'href="{reverse("archive:province", args=["Thừa Thiên Huế"])}"' in html
    assert 'id="side-by-side"' not in html


def test_the_page_in_english_uses_a_decimal_point(loaded: Archive) -> None:
    html = _page("Quảng Ninh", "en")
    assert "Times ranked first" in html and "92.18" in html


def test_an_unknown_province_is_404_and_a_post_is_405(loaded: Archive) -> None:
    assert Client().get(reverse("archive:province", args=["Hà Tây"])).status_code == 404
    url = reverse("archive:province", args=["Quảng Ninh"])
    assert Client().post(url).status_code == 405


def test_without_a_loaded_archive_a_province_is_404() -> None:
    unload()
    url = reverse("archive:province", args=["Quảng Ninh"])
    assert Client().get(url).status_code == 404


def test_the_papi_dimension_scores_of_a_province_year_by_year(loaded: Archive) -> None:
    html = _page("Đà Nẵng")
    table = html.split('id="table-papi-dimensions"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="col" class="num">') == 8  # the eight of the 2021 edition
    row_2011 = _row(html, "table-papi-dimensions", 2011)
    assert len(row_2011) == 8 and row_2011[6:] == ["", ""]  # no dimensions 7 and 8 before 2018
    derived = html.split('id="table-papi-dimensions"', 1)[1]
    assert '<th scope="row">2017*</th>' in derived and '<th scope="row">2016</th>' in derived


def test_a_group_is_named_by_its_years_framework_in_the_pages_language(loaded: Archive) -> None:
    """PAPI's quartile codes become the names of that year's edition, in Vietnamese and in
    English; the archive's data keep the code."""
    assert _row(_page("Quảng Ninh", "en"), "table-papi", 2024)[3] == "Best performers"


def test_papi_charts_are_in_points_on_each_periods_scale_never_per_cent(loaded: Archive) -> None:
    """Issue #22: PAPI's totals are points (out of 60 until 2017, 80 from 2018), not %."""
    html = _page("Quảng Ninh")
    papi = html.split('id="papi"', 1)[1].split("<table", 1)[0]
    svgs = re.findall(r"<svg.*?</svg>", papi, re.S)
    assert len(svgs) == 2
    assert "tối đa 60" in svgs[0] and "tối đa 80" in svgs[1]
    assert all("%" not in svg for svg in svgs)


def test_facts_say_over_which_years_they_are_computed(loaded: Archive) -> None:
    html = _page("Quảng Ninh")
    par = html.split('id="par-index"', 1)[1].split("</ul>", 1)[0]
    text = re.sub(r"<[^>]+>", "", par)
    assert "nhóm cao nhất (A): 6 (2018, 2019, 2020, 2021, 2022, 2023)" in text
    assert "chưa biết nhóm: 2012–2017, 2024" in text
    assert "do chiso suy ra" in text
    assert "năm có thứ hạng thấp nhất: 2012 (hạng 19)" in text
    sipas = re.sub(r"<[^>]+>", "", html.split('id="sipas"', 1)[1].split("</ul>", 1)[0])
    assert "cùng thứ hạng ở mọi năm biết thứ hạng" in sipas  # first every year: no worst year
