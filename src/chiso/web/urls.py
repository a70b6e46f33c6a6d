"""The site's addresses: each app owns its own (named, under the app's namespace)."""

from django.urls import include, path

from chiso.web.api import api

urlpatterns = [
    path("", include("chiso.web.accounts.urls")),
    path("", include("chiso.web.portal.urls")),
    path("", include("chiso.web.cycles.urls")),
    path("", include("chiso.web.services.urls")),
    path("api/", api.urls),
]
