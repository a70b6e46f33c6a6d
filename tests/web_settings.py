"""Settings for the test suite: the application's own settings, with a throwaway secret and
data folder. DATABASE_URL picks the database (SQLite by default, PostgreSQL in CI's second
run)."""

import os
import tempfile

os.environ.setdefault(
    "CHISO_SECRET_KEY", "test-suite-only-Hq7vN2pLr9XcW4mZt8KbJ3sYf6DgA1eUo5RiQ0wE"
)
os.environ.setdefault("CHISO_DATA_DIR", tempfile.mkdtemp(prefix="chiso-test-"))

from chiso.web.settings import *  # noqa: F403

# tests create many people: a fast hasher here; test_security checks the real list is Argon2
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "chiso.web.accounts.hashers.OneTimePasswordHasher",  # asked for by name, as in production
]

# the test client speaks plain http; test_security checks the production value
SECURE_SSL_REDIRECT = False
