"""The public pages of published cycles. The download addresses are stable and public (other
sites and scripts link to them): never change their strings."""

from __future__ import annotations

from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.portal import head_views, map_views, revision_views, views

app_name = "portal"

DOWNLOADS = {
    # name: (address under results/<id>/, kind of file)
    "data-csv": ("data.csv", "csv"),
    "data-xlsx": ("data.xlsx", "xlsx"),
    "data-json": ("data.json", "json"),
    "dictionary": ("dictionary.json", "dictionary"),
    "annex-xlsx": ("annex.xlsx", "annex"),
    "annex-docx": ("annex.docx", "annex_docx"),
    "report-pdf": ("report.pdf", "pdf"),
}
REBASED = {"rebased-csv": "csv", "rebased-xlsx": "xlsx", "rebased-json": "json"}

urlpatterns = [
    path("lang/<str:code>/", views.choose_language, name="language"),
    # the administrator's boundary maps (their panel is on the administrator's page)
    path("manage/maps/", map_views.map_upload, name="map-upload"),
    path("manage/maps/<id:pk>/delete/", map_views.map_delete, name="map-delete"),
    path("results/<id:pk>/", views.ranking, name="published"),
    path("results/<id:pk>/heads/", head_views.heads, name="heads"),
    path(
        "results/<id:pk>/heads.xlsx", head_views.heads_download, {"kind": "xlsx"}, name="heads-xlsx"
    ),
    path(
        "results/<id:pk>/heads.docx", head_views.heads_download, {"kind": "docx"}, name="heads-docx"
    ),
    path("results/<id:pk>/units/<str:unit>/", views.profile, name="profile"),
    path("results/<id:pk>/compare/", views.compare, name="compare"),
    path("results/<id:pk>/heatmap/", views.heatmap, name="heatmap"),
    path("results/<id:pk>/intervals/", views.intervals, name="intervals"),
    path("results/<id:pk>/rebased/", views.rebased, name="rebased"),
    path("results/<id:pk>/revisions/", revision_views.revision_list, name="revisions"),
    path(
        "results/<id:pk>/revisions/<int:revision>.json",
        revision_views.revision_data,
        name="revision-data",
    ),
    *(
        path(f"results/<id:pk>/rebased.{kind}", views.rebased_download, {"kind": kind}, name=name)
        for name, kind in REBASED.items()
    ),
    path("results/<id:pk>/units/<str:unit>/report.pdf", views.unit_report, name="unit-report"),
    *(
        path(f"results/<id:pk>/{address}", views.download, {"kind": kind}, name=name)
        for name, (address, kind) in DOWNLOADS.items()
    ),
]
