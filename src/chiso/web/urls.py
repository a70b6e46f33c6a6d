from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from chiso.web.api import api
from chiso.web.cycles import manage, views
from chiso.web.portal import views as portal


class IdConverter:
    """A database id: up to 18 digits, so that no id overflows the database's integers."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lang/<str:code>/", portal.choose_language, name="language"),
    path("manage/", manage.manage, name="manage"),
    path("manage/units/", manage.unit_create, name="unit-create"),
    path("manage/cycles/", manage.cycle_create, name="cycle-create"),
    path("manage/roles/", manage.role_grant, name="role-grant"),
    path("manage/maps/", manage.map_upload, name="map-upload"),
    path("manage/maps/<id:pk>/delete/", manage.map_delete, name="map-delete"),
    path("cycles/<id:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<id:pk>/advance/", views.cycle_advance, name="cycle-advance"),
    path("cycles/<id:pk>/publish/", views.cycle_publish, name="cycle-publish"),
    path("cycles/<id:pk>/audit.csv", views.cycle_audit, name="cycle-audit"),
    path("results/<id:pk>/", portal.ranking, name="published"),
    path("results/<id:pk>/units/<str:unit>/", portal.profile, name="profile"),
    path("results/<id:pk>/compare/", portal.compare, name="compare"),
    path("results/<id:pk>/heatmap/", portal.heatmap, name="heatmap"),
    path("results/<id:pk>/intervals/", portal.intervals, name="intervals"),
    path("results/<id:pk>/rebased/", portal.rebased, name="rebased"),
    path("results/<id:pk>/rebased.csv", portal.rebased_download, {"kind": "csv"}),
    path("results/<id:pk>/rebased.xlsx", portal.rebased_download, {"kind": "xlsx"}),
    path("results/<id:pk>/rebased.json", portal.rebased_download, {"kind": "json"}),
    path("results/<id:pk>/units/<str:unit>/report.pdf", portal.unit_report, name="unit-report"),
    path("results/<id:pk>/data.csv", portal.download, {"kind": "csv"}),
    path("results/<id:pk>/data.xlsx", portal.download, {"kind": "xlsx"}),
    path("results/<id:pk>/data.json", portal.download, {"kind": "json"}),
    path("results/<id:pk>/dictionary.json", portal.download, {"kind": "dictionary"}),
    path("results/<id:pk>/annex.xlsx", portal.download, {"kind": "annex"}),
    path("results/<id:pk>/annex.docx", portal.download, {"kind": "annex_docx"}),
    path("results/<id:pk>/report.pdf", portal.download, {"kind": "pdf"}),
    path("sheets/<id:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<id:pk>/submit/", views.sheet_submit, name="sheet-submit"),
    path("sheets/<id:pk>/template.xlsx", views.sheet_template, name="sheet-template"),
    path("sheets/<id:pk>/upload/", views.sheet_upload, name="sheet-upload"),
    path("cycles/<id:pk>/central/", views.cycle_central, name="cycle-central"),
    path("leaves/<id:pk>/save/", views.leaf_save, name="leaf-save"),
    path("leaves/<id:pk>/message/", views.leaf_message, name="leaf-message"),
    path("leaves/<id:pk>/history/", views.leaf_history, name="leaf-history"),
    path("leaves/<id:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("api/", api.urls),
]
