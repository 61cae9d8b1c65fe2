"""Test settings: production settings (DEBUG off) on the real services.

The environment decides as in production; this module only fills in what a test
run needs when it is not set: PostgreSQL and Redis on localhost, a secret key,
and no HTTPS redirect (the test client speaks plain HTTP).
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/kindred")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("CHANNELS_PREFIX", "kindred-test")
os.environ.setdefault("CACHE_PREFIX", "kindred-test")
os.environ.setdefault("MEDIA_ROOT", "/tmp/kindred-test-media")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the source folders (no collectstatic in a test run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
