#!/usr/bin/env bash
# README command 2: the whole test suite, lint included. CI runs exactly this (.ci/run).
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
bootstrap
cd "$SMART_IMAGE_ROOT"

step() { printf '\n=== %s\n' "$*"; }

step "format (Prettier: tabs, print width 100)"
npx --no-install prettier --check "**/*.{ts,js,mjs,cjs,json}"

step "lint (n8n Cloud-ready ESLint config)"
npx --no-install eslint .

step "typecheck"
npx --no-install tsc -p tsconfig.json --noEmit

step "verified-node scan of each packed tarball, main and packages/* (n8n scanner rules, inline disables ignored)"
node scripts/scan-package.mjs

step "tests (n8n-core engine in-process, provider emulator over loopback; package checks)"
npx --no-install jest --ci

step "end-to-end: both packed packages in real n8n CLIs (2.41.1 and 1.123.81, each installed once per machine into ~/.cache), and n8n 2.41.1 in queue mode (main, 2 workers, Redis, PostgreSQL)"
npx --no-install jest -c jest.e2e.config.js --ci
