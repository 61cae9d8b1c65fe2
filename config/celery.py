"""The Celery application: configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kindred")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def _tune(**kwargs: object) -> None:
    """Each worker process (prefork children, or the main process of a
    threads/solo pool) gets the server's GIL switch interval."""
    from config.runtime import tune_interpreter

    tune_interpreter()
