"""``asiria-cloud run_scheduled <job>``: run one job of Celery beat's schedule now, in this
process, for hosts where no beat runs (cPanel cron, a one-off by hand)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run a job of the beat schedule (CELERY_BEAT_SCHEDULE) once, here, and print its result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", help="the schedule's name for it, e.g. mpesa-late-stk")

    def handle(self, *args: Any, **options: Any) -> None:
        schedule = settings.CELERY_BEAT_SCHEDULE
        entry = schedule.get(options["job"])
        if entry is None:
            names = ", ".join(sorted(schedule))
            raise CommandError(f"No scheduled job named {options['job']!r}; there are: {names}.")
        from cloud_api.celery import app

        # Every app's tasks module registers its tasks; apply() runs one here, not via a broker.
        app.loader.import_default_modules()
        task = app.tasks[entry["task"]]
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        if result.failed():
            raise CommandError(f"{options['job']} failed: {result.result!r}")
        self.stdout.write(f"{options['job']}: {result.result}")
