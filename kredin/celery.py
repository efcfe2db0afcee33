"""The one Celery app. Tasks take `organization_id` first and run inside that scope."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kredin.settings")

app = Celery("kredin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues_names = ("sync", "letters", "dispatch", "default")
app.autodiscover_tasks()
