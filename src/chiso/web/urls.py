from django.contrib.auth import views as auth_views
from django.urls import include, path

from chiso.web.api import api
from chiso.web.cycles import manage, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("manage/", manage.manage, name="manage"),
    path("manage/units/", manage.unit_create, name="unit-create"),
    path("manage/cycles/", manage.cycle_create, name="cycle-create"),
    path("manage/roles/", manage.role_grant, name="role-grant"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle-advance"),
    path("cycles/<int:pk>/publish/", views.cycle_publish, name="cycle-publish"),
    path("cycles/<int:pk>/audit.csv", views.cycle_audit, name="cycle-audit"),
    path("results/<int:pk>/", views.published_results, name="published"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/submit/", views.sheet_submit, name="sheet-submit"),
    path("leaves/<int:pk>/save/", views.leaf_save, name="leaf-save"),
    path("leaves/<int:pk>/message/", views.leaf_message, name="leaf-message"),
    path("leaves/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("api/", api.urls),
]
