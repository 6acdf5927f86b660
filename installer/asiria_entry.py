"""The bundle's entry point: the ``asiria`` command, frozen by PyInstaller (asiria.spec)."""

import sys

from asiria_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
