#!/usr/bin/env bash
# README command 1: runs the demo workflow on the built-in provider emulator and writes the
# generated images to out/demo/. Usage: bash scripts/demo.sh [examples/<workflow>.json ...]
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
bootstrap
cd "$SMART_IMAGE_ROOT"
exec npx --no-install tsx scripts/demo.ts "$@"
