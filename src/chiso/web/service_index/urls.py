from __future__ import annotations

from django.urls import path

from chiso.web.service_index import views

app_name = "service_index"

urlpatterns = [
    path("services/", views.series, name="series"),
    path("services/<str:period>/", views.month_ranking, name="month"),
    path("services/<str:period>/units/<str:unit>/", views.unit_month_page, name="unit"),
]
