"""``python -m asiria_desktop`` is the ``asiria`` command."""

import sys

from asiria_desktop.cli import main

sys.exit(main())
