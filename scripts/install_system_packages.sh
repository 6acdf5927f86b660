#!/usr/bin/env bash
# Installs the Debian packages the stack needs, only those that are missing.
#   libzbar0              pyzbar (camera barcode decoding)
#   libusb-1.0-0          pyusb (USB receipt printers: printing and "Find devices")
#   libxcb-* libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
#                         Qt's xcb platform (real windows under Xvfb) and offscreen rendering
#   xvfb                  screenshots of real windows
#   nginx                 `nginx -t` on the cloud's nginx config (tests/deploy)
#   mariadb-client        the cloud's backup and restore scripts (mariadb-dump, mariadb)
#   chromium              browser tests of the admin and passkeys (Playwright drives Debian's
#                         browser, never a downloaded one)
#   dbus                  dbus-daemon: a private bus for the fake fprintd (fingerprint tests)
#   binutils              objdump, which PyInstaller uses to bundle the till
set -euo pipefail
PKGS=(libzbar0 libusb-1.0-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
      libxcb-xinerama0 libxcb-shape0 libxcb-xkb1 libxcb-cursor0 libxkbcommon-x11-0 libxkbcommon0
      libegl1 libgl1 libfontconfig1 libdbus-1-3 xvfb nginx mariadb-client chromium dbus binutils)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
