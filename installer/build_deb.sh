#!/usr/bin/env bash
# Builds dist/asiriapos_<version>_amd64.deb from the PyInstaller bundle in dist/asiria/
# (installer/build_bundle.sh makes it). The package puts the bundle in /opt/asiriapos, the
# launcher /usr/bin/asiria, a desktop entry and icon, udev rules for USB printers and serial
# ports, and maintainer scripts that never touch a shop's database (installer/linux/debian).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${ASIRIA_DIST:-dist}    # where the bundle and the .deb go
BUILD=${ASIRIA_BUILD:-build} # scratch files of the build
BUNDLE=$DIST/asiria
[[ -x $BUNDLE/asiria ]] || { echo "no bundle in $BUNDLE: run installer/build_bundle.sh" >&2; exit 1; }
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
STAGE=$BUILD/deb/asiriapos
OUT=$DIST/asiriapos_${VERSION}_${ARCH}.deb

rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/lib/udev/rules.d" \
  "$STAGE/usr/share/doc/asiriapos"
cp -a "$BUNDLE" "$STAGE/opt/asiriapos"
ln -s /opt/asiriapos/asiria "$STAGE/usr/bin/asiria"
install -m 644 installer/linux/asiriapos.desktop "$STAGE/usr/share/applications/"
install -m 644 installer/asiria.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/asiriapos.svg"
install -m 644 installer/linux/60-asiriapos.rules "$STAGE/usr/lib/udev/rules.d/"
install -m 755 installer/linux/debian/postinst installer/linux/debian/postrm "$STAGE/DEBIAN/"
printf 'AsiriaPOS till %s. Proprietary.\n' "$VERSION" > "$STAGE/usr/share/doc/asiriapos/copyright"
chmod -R u+rwX,go+rX,go-w "$STAGE"

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: asiriapos
Version: $VERSION
Architecture: $ARCH
Maintainer: AsiriaPOS <support@asiriapos.example>
Installed-Size: $INSTALLED_KB
Depends: libc6 (>= 2.31), libgl1, libegl1, libfontconfig1, libdbus-1-3, passwd
Recommends: udev
Section: misc
Priority: optional
Homepage: https://asiriapos.example
Description: AsiriaPOS point-of-sale till
 Sells, prints receipts and opens the cash drawer, and keeps working without
 internet: sales wait on the till and reach head office when it is back.
 Removing the package keeps each shop's sales; purging deletes them.
CONTROL

mkdir -p "$DIST"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "$OUT"
