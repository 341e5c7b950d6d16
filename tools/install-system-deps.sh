#!/usr/bin/env bash
# Installs the Debian packages the test command needs (pcscd and the vpcd virtual
# reader, the headers that pyscard builds against, tshark for trace checks, openssl
# for the PKI cross-check, node and npm for the JavaScript implementation under test,
# chromium and its driver for the documentation screenshots and the browser checks of the
# site). Does nothing when they are all present already.
set -euo pipefail

packages=(pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools opensc swig tshark openssl nodejs chromium chromium-driver)
# Debian ships npm as a package of its own; a nodejs that carries its own npm (NodeSource's
# builds) conflicts with that package, so it is asked for only when no npm is installed.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run this script as root, or install them)" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
