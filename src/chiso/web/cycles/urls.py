"""The assessment cycle's pages (for the people with a role in it) and the administrator's."""

from __future__ import annotations

from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.cycles import (
    cancel_views,
    correction_views,
    deadline_views,
    explanation_views,
    framework_views,
    leader_views,
    manage,
    views,
)

app_name = "cycles"

urlpatterns = [
    path("", views.home, name="home"),
    path("leader/", leader_views.leader, name="leader"),
    path("leader/brief.docx", leader_views.leader_brief, name="leader-brief"),
    path("leader/brief.pdf", leader_views.leader_brief_pdf, name="leader-brief-pdf"),
    path("manage/", manage.manage, name="manage"),
    path("manage/units/", manage.unit_create, name="unit-create"),
    path("manage/province/", manage.province_load, name="province-load"),
    path("manage/lineage/", manage.lineage_load, name="lineage-load"),
    path("manage/cycles/", manage.cycle_create, name="cycle-create"),
    path("manage/roles/", manage.role_grant, name="role-grant"),
    path("cycles/<id:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<id:pk>/advance/", views.cycle_advance, name="cycle-advance"),
    path("cycles/<id:pk>/publish/", views.cycle_publish, name="cycle-publish"),
    path("cycles/<id:pk>/extend/", deadline_views.cycle_extend, name="cycle-extend"),
    path("cycles/<id:pk>/cancel/", cancel_views.cycle_cancel, name="cycle-cancel"),
    path("cycles/<id:pk>/audit.csv", views.cycle_audit, name="cycle-audit"),
    path("cycles/<id:pk>/central/", views.cycle_central, name="cycle-central"),
    path("sheets/<id:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<id:pk>/submit/", views.sheet_submit, name="sheet-submit"),
    path("sheets/<id:pk>/withdraw/", views.sheet_withdraw, name="sheet-withdraw"),
    path("sheets/<id:pk>/accept/", views.sheet_accept, name="sheet-accept"),
    path("sheets/<id:pk>/template.xlsx", views.sheet_template, name="sheet-template"),
    path("sheets/<id:pk>/upload/", views.sheet_upload, name="sheet-upload"),
    path("sheets/<id:pk>/appraisal.xlsx", views.appraisal_template, name="appraisal-template"),
    path("sheets/<id:pk>/appraisal/", views.appraisal_upload, name="appraisal-upload"),
    path("leaves/<id:pk>/save/", views.leaf_save, name="leaf-save"),
    path("leaves/<id:pk>/message/", views.leaf_message, name="leaf-message"),
    path("leaves/<id:pk>/history/", views.leaf_history, name="leaf-history"),
    path("leaves/<id:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path(
        "sheets/<id:pk>/explanations/",
        explanation_views.sheet_explanations,
        name="sheet-explanations",
    ),
    path("leaves/<id:pk>/explain/", explanation_views.leaf_explain, name="leaf-explain"),
    path(
        "explanations/<id:pk>/review/",
        explanation_views.explanation_review,
        name="explanation-review",
    ),
    path("cycles/<id:pk>/correct/", correction_views.cycle_correct, name="cycle-correct"),
    path("sheets/<id:pk>/ranked/", correction_views.sheet_ranked, name="sheet-ranked"),
    path("manage/frameworks/", framework_views.framework_upload, name="framework-upload"),
    path(
        "manage/frameworks/<id:pk>/framework.<str:fmt>",
        framework_views.framework_download,
        name="framework-download",
    ),
]
