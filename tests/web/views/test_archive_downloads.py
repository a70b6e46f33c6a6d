"""The whole archive as open data at stable addresses: CSV (published digits), XLSX and
Parquet, the data dictionary and the sources. Public, GET only."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from chiso.archive import Archive
from web.archive_helpers import loaded, unload

pytestmark = pytest.mark.django_db
__all__ = ["loaded"]  # the fixture


def test_the_csv_is_the_whole_archive_in_long_form(loaded: Archive) -> None:
    archive = loaded
    response = Client().get(reverse("archive:download-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="chiso-archive.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(archive.figures)
    [qn] = [  # the whole table's row (Vietnam.vn's 47,82 is a row of its own beside it)
        r
        for r in rows
        if (r["index"], r["year"], r["unit"], r["node"], r["source"])
        == ("PAPI", "2024", "Quảng Ninh", "total", "papi-derived-sums")
    ]
    assert (qn["value"], qn["rank"], qn["basis"]) == ("47.821236", "1", "derived")


def test_the_csv_is_sent_compressed_to_a_client_that_accepts_gzip(loaded: Archive) -> None:
    import gzip

    plain = Client().get(reverse("archive:download-csv"))
    packed = Client().get(reverse("archive:download-csv"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 5


def test_xlsx_and_parquet_hold_the_same_rows(loaded: Archive) -> None:
    import openpyxl
    import pyarrow.parquet as pq

    archive = loaded
    xlsx = Client().get(reverse("archive:download-xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == len(archive.figures) + 1
    parquet = Client().get(reverse("archive:download-parquet")).content
    assert pq.read_table(io.BytesIO(parquet)).num_rows == len(archive.figures)


def test_the_dictionary_and_the_sources(loaded: Archive) -> None:
    archive = loaded
    dictionary = Client().get(reverse("archive:download-dictionary")).content.decode("utf-8-sig")
    names = [r["name"] for r in csv.DictReader(io.StringIO(dictionary))]
    assert {"index", "year", "unit", "node", "value", "rank", "group", "source"} <= set(names)
    sources = Client().get(reverse("archive:download-sources")).content.decode("utf-8-sig")
    assert {r["id"] for r in csv.DictReader(io.StringIO(sources))} == set(archive.sources)


def test_downloads_answer_405_to_a_post(loaded: Archive) -> None:
    assert Client().post(reverse("archive:download-csv")).status_code == 405


def test_downloads_are_404_without_an_archive() -> None:
    unload()
    assert Client().get(reverse("archive:download-csv")).status_code == 404
