"""``asiria-cloud serve``: gunicorn on 127.0.0.1 for local use (production runs gunicorn
itself behind nginx, with the same WSGI entry point)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the API with gunicorn (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--migrate", action="store_true", help="Apply migrations first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=1)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "cloud_api.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
        ]
        self.stdout.write(f"Serving on http://{options['bind']}/ (Ctrl-C stops)")
        sys.stdout.flush()
        # gunicorn takes over this process (signals, exit code).
        os.execv(sys.executable, argv)  # noqa: S606
