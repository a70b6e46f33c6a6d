"""The archive's public addresses. The download addresses are stable (other sites and scripts
link to them): never change their strings."""

from __future__ import annotations

from django.urls import path

from chiso.web.archive import views

app_name = "archive"

ADDRESSES = {
    # kind of file: its address under archive/
    "csv": "data.csv",
    "xlsx": "data.xlsx",
    "parquet": "data.parquet",
    "dictionary": "dictionary.csv",
    "sources": "sources.csv",
}

urlpatterns = [
    path("archive/", views.index, name="index"),
    path("archive/provinces/<str:name>/", views.province, name="province"),
    path("archive/compare/", views.compare_page, name="compare"),
    path("archive/compare.csv", views.compare_csv, name="compare-csv"),
    *(
        path(f"archive/{address}", views.download, {"kind": kind}, name=f"download-{kind}")
        for kind, address in ADDRESSES.items()
    ),
]
