"""cPanel (Phusion Passenger) entry point: "Setup Python App" points its startup file here.

The application root is this checkout; the environment variables of docs/operations.md
("cPanel") are set in the same cPanel screen. Passenger imports ``application`` from this file.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud_api.settings")

from cloud_api.wsgi import application

__all__ = ["application"]
