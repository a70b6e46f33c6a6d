"""The improvement plans' addresses (namespace ``plans``)."""

from __future__ import annotations

from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.index, name="index"),
    path("plans/map/", views.responsibility_map_page, name="map"),
    path("plans/map/assign/", views.assign, name="assign"),
    path("plans/map/<id:pk>/delete/", views.unassign, name="unassign"),
    path("plans/map/import/", views.import_map, name="import"),
    path("plans/map/audit.csv", views.map_audit, name="map-audit"),
    path("plans/new/<id:pk>/", views.new_plan, name="new"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/plan.docx", views.plan_docx, name="plan-docx"),
    path("plans/<id:pk>/plan.xlsx", views.plan_xlsx, name="plan-xlsx"),
    path("plans/tasks/<id:pk>/", views.task_update, name="task"),
    path("plans/tasks/<id:pk>/files/", views.task_file_upload, name="task-file-upload"),
    path("plans/files/<id:pk>/", views.task_file, name="task-file"),
    path("plans/report/<id:pk>/", views.report, name="report"),
    path("plans/report/<id:pk>/report.xlsx", views.report_xlsx, name="report-xlsx"),
]
