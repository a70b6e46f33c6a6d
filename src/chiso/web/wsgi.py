import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
django_application = get_wsgi_application()

from chiso.web.microcache import PublicPageCache  # noqa: E402  (needs the settings above)

application = PublicPageCache(django_application)
