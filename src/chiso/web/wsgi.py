import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
django_application = get_wsgi_application()

from chiso import environment  # noqa: E402
from chiso.web.microcache import PublicPageCache  # noqa: E402  (needs the settings above)

# CHISO_MICROCACHE=0 turns the short-lived public page cache off (to measure without it)
application = (
    PublicPageCache(django_application)
    if environment.flag("CHISO_MICROCACHE")
    else django_application
)
