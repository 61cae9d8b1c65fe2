"""Benchmark settings: production settings, static files from the source tree
(no collectstatic needed for a benchmark run)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
