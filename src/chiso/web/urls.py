"""The site's addresses: each app owns its own (named, under the app's namespace)."""

from django.urls import include, path

from chiso.web.api import api
from chiso.web.assets import static_file

urlpatterns = [
    path("", include("chiso.web.accounts.urls")),
    path("", include("chiso.web.portal.urls")),
    path("", include("chiso.web.cycles.urls")),
    path("", include("chiso.web.plans.urls")),
    path("", include("chiso.web.archive.urls")),
    path("", include("chiso.web.service_index.urls")),
    path("", include("chiso.web.notifications.urls")),
    path("api/", api.urls),
    path("static/<path:path>", static_file, name="static"),
]

handler500 = "chiso.web.core.faults.server_error"
