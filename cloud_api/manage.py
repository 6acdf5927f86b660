#!/usr/bin/env python
"""``asiria-cloud``: Django's manage.py, plus ``bootstrap`` and ``serve``."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud_api.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
