"""The archive's index page: public, GET only; what it holds, how whole each table is, where
sources disagree, the open-data links and a link to every province's page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chiso.archive import Archive
from chiso.units.provinces import MERGED_34, PROVINCES_63
from web.archive_helpers import loaded, unload

pytestmark = pytest.mark.django_db
__all__ = ["loaded"]  # the fixture


def test_without_a_loaded_archive_the_page_says_how_to_load_it() -> None:
    unload()
    page = Client().get(reverse("archive:index"))
    assert page.status_code == 200 and "chiso archive load" in page.content.decode()


def test_the_index_is_public_and_links_every_province_of_the_63_and_the_34(loaded: Archive) -> None:
    page = Client().get(reverse("archive:index"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in {*PROVINCES_63, *MERGED_34}:
        assert f'href="{reverse("archive:province", args=[name])}"' in html, name
    for kind in ("csv", "xlsx", "parquet", "dictionary", "sources"):
        assert reverse(f"archive:download-{kind}") in html


def test_the_index_says_published_and_shows_coverage_and_disagreement(loaded: Archive) -> None:
    html = Client().get(reverse("archive:index")).content.decode()
    assert "không phải mô phỏng" in html and "mô phỏng)" not in html
    assert "<td>Một phần</td>" in html and "<td>Đầy đủ</td>" in html  # named, not coded
    # Hải Phòng 2023: both printed values, each with its source
    assert "91,87" in html and "91,81" in html
    assert 'href="#source-doanhnghiephoinhap-2024-04-26"' in html
    assert 'id="source-doanhnghiephoinhap-2024-04-26"' in html


def test_the_index_in_english(loaded: Archive) -> None:
    html = Client().get(reverse("archive:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where sources disagree" in html and "91.87" in html


def test_the_index_answers_405_to_a_post() -> None:
    assert Client().post(reverse("archive:index")).status_code == 405


def test_the_navigation_links_the_archive() -> None:
    html = Client().get(reverse("cycles:home")).content.decode()
    assert f'href="{reverse("archive:index")}"' in html


def test_the_ministries_and_the_means_are_listed_with_their_sources(loaded: Archive) -> None:
    html = Client().get(reverse("archive:index")).content.decode()
    ministries = html.split('id="ministries"', 1)[1].split("</table>", 1)[0]
    assert "Ngân hàng Nhà nước Việt Nam" in ministries and "95,88" in ministries
    means = html.split('id="means"', 1)[1].split("</table>", 1)[0]
    assert "86,98" in means and "Đồng bằng sông Hồng" in means


def test_the_coverage_notes_are_in_the_readers_language(loaded: Archive) -> None:
    vi = Client().get(reverse("archive:index")).content.decode()
    en = Client().get(reverse("archive:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cả bảng chỉ được đăng dưới dạng ảnh" in vi and "printed as an image only" not in vi
    assert "printed as an image only" in en


def test_a_disagreement_on_a_papi_dimension_names_the_dimension(loaded: Archive) -> None:
    """Vietnam.vn prints Quảng Ninh's 2024 e-governance score as 4,08; the table's sum is
    3,94: the line says which dimension the two figures are of, in the reader's language."""
    vi = Client().get(reverse("archive:index")).content.decode()
    en = Client().get(reverse("archive:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for html, name in ((vi, "Quản trị điện tử"), (en, "E-governance")):
        disputes = html.split('id="disputes"', 1)[1].split("</ul>", 1)[0]
        [line] = [li for li in disputes.split("<li>") if f"({name})" in li]
        assert (
            "Quảng Ninh" in line and "vietnamvn-papi-2024" in line and "papi-derived-sums" in line
        )


def test_a_copy_names_the_originals_it_was_stitched_from(loaded: Archive) -> None:
    html = Client().get(reverse("archive:index")).content.decode()
    seed = html.split('id="source-seed003-par-sipas-2023"', 1)[1].split("</li>", 1)[0]
    assert "91,87" in seed and "91,81" in seed
    for original in ("nhadautu-par-sipas-2023", "baogialai-par-sipas-2023"):
        assert original in seed
        listed = html.split(f'id="source-{original}"', 1)[1].split("</li>", 1)[0]
        assert 'href="https://' in listed  # listed on the page, with its address
