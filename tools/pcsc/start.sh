#!/usr/bin/env bash
# Start pcscd with the vpcd reader in a loopback-only network namespace and wait until it
# is ready. `--emulator` also starts the emulated holder (`vitale emulate`) and waits until
# it is connected. State, PID files and logs: $VDC_PCSC_DIR (default /run/vdc-pcsc).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${PYTHON:-.venv/bin/python}" -m tools.pcsc.service start "$@"
