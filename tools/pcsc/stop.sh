#!/usr/bin/env bash
# Stop the emulated holder and pcscd started by start.sh, and release the namespace.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${PYTHON:-.venv/bin/python}" -m tools.pcsc.service stop "$@"
