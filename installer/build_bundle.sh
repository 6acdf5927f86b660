#!/usr/bin/env bash
# Builds the till's one-folder bundle dist/asiria/ with PyInstaller (installer/asiria.spec), in
# a build venv that holds only the till and PyInstaller (build/package-venv, or
# $ASIRIA_PACKAGE_VENV), so nothing of the cloud or the test tools can slip in.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${ASIRIA_DIST:-dist}    # where the bundle and the .deb go
BUILD=${ASIRIA_BUILD:-build} # scratch files of the build
VENV=${ASIRIA_PACKAGE_VENV:-$BUILD/package-venv}
PYTHON=${PYTHON:-python3}
[[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q -c constraints.txt '.[till,package]'
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" installer/asiria.spec
echo "$DIST/asiria"
