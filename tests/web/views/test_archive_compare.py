"""The comparison page: two to four provinces (the 63 or the 34) across the three indices and
the years, a chart and its data table per index, the regional means beside them where
published, a linkable address and the same figures as CSV. Public, GET only."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from chiso.archive import Archive
from web.archive_helpers import loaded

pytestmark = pytest.mark.django_db
__all__ = ["loaded"]  # the fixture


def _get(names: list[str], lang: str = "vi", what: str = "archive:compare") -> object:
    query = urlencode([("p", n) for n in names])
    return Client().get(f"{reverse(what)}?{query}", HTTP_ACCEPT_LANGUAGE=lang)


def _page(names: list[str], lang: str = "vi") -> str:
    response = _get(names, lang)
    assert response.status_code == 200  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


def _row(html: str, table_id: str, year: int) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'<th scope="row">{year}</th>', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


def test_two_provinces_side_by_side_with_the_published_regional_mean(loaded: Archive) -> None:
    html = _page(["Quảng Ninh", "Hải Phòng"])
    # PAR INDEX 2023: Quảng Ninh 92,18 (1st); Hải Phòng's sources disagree: both printed;
    # the Red River Delta's mean: TTXVN 88,33, VietnamPlus 88,32
    assert _row(html, "compare-par-index", 2023) == [
        "92,18 (1)",
        "91,87 / 91,81 (2)",
        "88,33 / 88,32",
    ]
    assert _row(html, "compare-par-index", 2024)[1:] == ["96,17 (1)", "90,17"]
    heads = html.split('id="compare-par-index"', 1)[1].split("</thead>", 1)[0]
    assert "Trung bình vùng Đồng bằng sông Hồng" in heads
    assert html.count('class="chiso-chart chiso-compare"') == 3


def test_papi_is_in_points_and_its_computed_figures_are_marked(loaded: Archive) -> None:
    html = _page(["Quảng Ninh", "Hải Phòng"])
    papi = html.split('id="papi"', 1)[1]
    assert "không phải phần trăm" in papi.split("</table>", 1)[0]
    assert _row(html, "compare-papi", 2024)[0] == "47,8212* (1*)"
    svg = papi.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "%" not in svg  # points on each period's scale, never per cent


def test_a_new_province_formed_from_several_shows_its_rebased_figures(loaded: Archive) -> None:
    html = _page(["Đồng Nai", "Tây Ninh"], "vi")
    assert "Đồng Nai" in html  # in both lists: shown as the former province
    html = _page(["Ninh Bình", "Lâm Đồng"])
    row = _row(html, "compare-papi", 2024)
    assert row[0].endswith("*)") and "*" in row[0]


def test_the_address_names_the_provinces_and_the_csv_has_the_same_figures(
    loaded: Archive,
) -> None:
    html = _page(["Quảng Ninh", "Hải Phòng", "Hà Nội"])
    link = re.search(r'id="compare-download"><a href="([^"]+)"', html)
    assert link is not None
    response = Client().get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    qn = [
        r for r in rows if (r["index"], r["year"], r["unit"]) == ("PAR INDEX", "2023", "Quảng Ninh")
    ]
    assert qn == [
        {
            "index": "PAR INDEX",
            "year": "2023",
            "unit": "Quảng Ninh",
            "kind": "province",
            "value": "92.18",
            "printed": "92.18",
            "rank": "1",
            "basis": "published",
            "rank_basis": "published",
            "sources": qn[0]["sources"],
        }
    ]
    hp = [
        r for r in rows if (r["index"], r["year"], r["unit"]) == ("PAR INDEX", "2023", "Hải Phòng")
    ]
    assert hp[0]["value"] == "" and hp[0]["printed"] == "91.87 / 91.81"
    assert any(r["kind"] == "region_mean" for r in rows)
    papi = [r for r in rows if (r["index"], r["year"], r["unit"]) == ("PAPI", "2024", "Hà Nội")]
    assert papi[0]["basis"] == "derived" and papi[0]["rank_basis"] == "derived"


@pytest.mark.parametrize("names", [["Quảng Ninh", "Atlantis"], ["A", "B", "C", "D", "E"]])
def test_more_than_four_or_unknown_names_ask_again(loaded: Archive, names: list[str]) -> None:
    html = _page(names)
    assert 'role="alert"' in html and "compare-par-index" not in html
    assert _get(names, what="archive:compare-csv").status_code == 404  # type: ignore[attr-defined]


def test_five_known_provinces_are_refused_too(loaded: Archive) -> None:
    names = ["Quảng Ninh", "Hải Phòng", "Hà Nội", "Bắc Giang", "Đà Nẵng"]
    assert 'role="alert"' in _page(names)


def test_the_page_in_english(loaded: Archive) -> None:
    html = _page(["Quảng Ninh", "Hải Phòng"], "en")
    assert "Compare provinces" in html and "Mean of the region Đồng bằng sông Hồng" in html
    assert _row(html, "compare-par-index", 2023)[0] == "92.18 (1)"


def test_the_empty_form_is_public_and_answers_only_get(loaded: Archive) -> None:
    assert 'role="alert"' not in _page([])
    assert Client().post(reverse("archive:compare")).status_code == 405


def test_one_province_fills_the_form_from_its_page(loaded: Archive) -> None:
    province = Client().get(reverse("archive:province", args=["Quảng Ninh"])).content.decode()
    href = f"{reverse('archive:compare')}?p=Qu%E1%BA%A3ng+Ninh"
    assert f'href="{href}"' in province
    html = _page(["Quảng Ninh"])
    assert 'role="alert"' not in html and "compare-par-index" not in html
    assert '<option value="Quảng Ninh" selected>' in html
    assert _get(["Quảng Ninh"], what="archive:compare-csv").status_code == 404  # type: ignore[attr-defined]
