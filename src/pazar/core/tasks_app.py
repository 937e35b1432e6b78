"""django-tasks-db's app, named in the reader's language. Apart from `apps.py`, where a second
AppConfig would stop Django from choosing `CoreConfig` as the core app's own."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db's app (the background tasks' table)."""

    verbose_name = _("Background tasks")
