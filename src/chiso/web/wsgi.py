import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
django_application = get_wsgi_application()

from chiso.web.microcache import PublicPageCache  # noqa: E402  (needs the settings above)

# CHISO_MICROCACHE=0 turns the short-lived public page cache off (to measure without it)
application = (
    django_application
    if os.environ.get("CHISO_MICROCACHE") == "0"
    else PublicPageCache(django_application)
)
