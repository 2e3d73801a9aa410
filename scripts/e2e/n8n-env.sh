# shellcheck shell=bash
# Sourceable helper: an isolated, quiet, offline n8n for end-to-end tests.
#
#   source scripts/e2e/n8n-env.sh            # installs n8n if needed (scripts/e2e/install-n8n.sh)
#   n8n_e2e_setup                            # fresh user folder in a temp dir, exports the env
#   n8n_e2e_add_package "$PWD"               # copy package.json + dist/ where n8n loads it
#   n8n_e2e import:credentials --input=creds.json
#   n8n_e2e import:workflow --input=wf.json
#   n8n_e2e_execute <workflow id> > run.json # stdout = run data JSON only (one line)
#   n8n_e2e_teardown                         # rm -rf the temp folder
#
# Set N8N_E2E_SKIP_INSTALL=1 to only locate an existing install (no npm).
# See scripts/e2e/README.md for the facts behind each setting.

_n8n_e2e_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# ---- locate (or install) n8n and Node 24 ------------------------------------
n8n_e2e_locate() {
  local out
  if [ "${N8N_E2E_SKIP_INSTALL:-0}" = 1 ]; then
    local dir="${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-smart-image/n8n-${N8N_VERSION:-2.41.1}}"
    [ -f "$dir/.e2e-install-complete" ] || { echo "n8n-env: no complete install in $dir" >&2; return 1; }
    out="$dir/node_modules/n8n/bin/n8n"
  else
    out="$(bash "$_n8n_e2e_here/install-n8n.sh" | tail -n1)" || return 1
  fi
  N8N_E2E_BIN="$out"
  # The Node binary recorded by the installer (Node >= 24).
  N8N_E2E_NODE="$(sed -n 's/^node=//p' "$(dirname "$(dirname "$(dirname "$(dirname "$out")")")")/.e2e-install-complete")"
  [ -x "$N8N_E2E_NODE" ] || { echo "n8n-env: Node 24 binary '$N8N_E2E_NODE' missing" >&2; return 1; }
  export N8N_E2E_BIN N8N_E2E_NODE
}

# ---- a free loopback TCP port ------------------------------------------------
n8n_e2e_free_port() {
  "$N8N_E2E_NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# ---- fresh isolated instance -------------------------------------------------
# n8n_e2e_setup [dir]  (default: a new mktemp -d)
n8n_e2e_setup() {
  [ -n "${N8N_E2E_BIN:-}" ] || n8n_e2e_locate || return 1
  N8N_E2E_HOME="${1:-$(mktemp -d "${TMPDIR:-/tmp}/n8n-e2e.XXXXXX")}"
  mkdir -p "$N8N_E2E_HOME/user" "$N8N_E2E_HOME/custom"
  export N8N_E2E_HOME

  # Where n8n keeps everything: <N8N_USER_FOLDER>/.n8n/{database.sqlite,config,binaryData,nodes,...}
  export N8N_USER_FOLDER="$N8N_E2E_HOME/user"
  export N8N_ENCRYPTION_KEY="${N8N_E2E_ENCRYPTION_KEY:-n8n-smart-image-e2e-key}"
  # Custom-extension folder: package copied here => node types are CUSTOM.<nodeName>.
  export N8N_CUSTOM_EXTENSIONS="$N8N_E2E_HOME/custom"

  # Quiet + offline: no telemetry, banners, templates, version checks, license renewals.
  export N8N_DIAGNOSTICS_ENABLED=false
  export N8N_VERSION_NOTIFICATIONS_ENABLED=false
  export N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false
  export N8N_PERSONALIZATION_ENABLED=false
  export N8N_HIRING_BANNER_ENABLED=false
  export N8N_DYNAMIC_BANNERS_ENABLED=false
  export N8N_LICENSE_AUTO_RENEW_ENABLED=false
  export N8N_AI_ENABLED=false
  export N8N_REINSTALL_MISSING_PACKAGES=false   # never npm-install community packages at start
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
  export N8N_SENTRY_DSN=""
  # Must stay "info" (or debug): `n8n execute` prints its result JSON with logger.info,
  # so warn/error/silent print no run data at all. All log lines go to stdout.
  export N8N_LOG_LEVEL=info
  export N8N_LOG_FORMAT=text N8N_LOG_OUTPUT=console
  export GENERIC_TIMEZONE=UTC TZ=UTC
  # Binary data: filesystem is the 2.x default for a regular (non-queue) instance; be explicit.
  export N8N_DEFAULT_BINARY_DATA_MODE=filesystem
  # Loopback test servers must be reachable (the SSRF guard is off by default; keep it so).
  export N8N_SSRF_PROTECTION_ENABLED=false
  # Every `n8n execute` starts a task-runner broker on 127.0.0.1:5679 by default, so two
  # at once fail ("port 5679 is already in use"); n8n_e2e picks a free port per call.
  # N8N_RUNNERS_ENABLED is obsolete in 2.x (ignored; runners are always on).
  unset N8N_RUNNERS_ENABLED
  # No prompts, no colours in what tests parse.
  export NO_COLOR=1
}

# ---- put a built package where n8n loads it -----------------------------------
# n8n_e2e_add_package <package dir> [custom|community]
#   custom    (default) -> $N8N_CUSTOM_EXTENSIONS/<name>           types: CUSTOM.<nodeName>
#   community           -> $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>
#                          types: <package name>.<nodeName> (as after Settings > Community Nodes)
# Copies package.json and dist/ only: never symlink the repo (its node_modules would be
# globbed for *.node.js, and `n8n-workflow` would resolve to the repo's copy).
n8n_e2e_add_package() {
  local src how="${2:-custom}" name dest
  src="$(cd "$1" && pwd)" || return 1
  name="$("$N8N_E2E_NODE" -p 'require(process.argv[1]+"/package.json").name' "$src")" || return 1
  [ -d "$src/dist" ] || { echo "n8n-env: $src/dist missing (build first)" >&2; return 1; }
  case "$how" in
    custom) dest="$N8N_CUSTOM_EXTENSIONS/$name" ;;
    community) dest="$N8N_USER_FOLDER/.n8n/nodes/node_modules/$name" ;;
    *) echo "n8n-env: unknown mode $how" >&2; return 1 ;;
  esac
  rm -rf "$dest" && mkdir -p "$dest"
  cp -R "$src/package.json" "$src/dist" "$dest/"
  echo "$dest"
}

# ---- run n8n ----------------------------------------------------------------
# n8n_e2e <command> [flags]: runs n8n under Node 24 with this instance's environment.
n8n_e2e() {
  N8N_RUNNERS_BROKER_PORT="${N8N_E2E_BROKER_PORT:-$(n8n_e2e_free_port)}" \
    "$N8N_E2E_NODE" "$N8N_E2E_BIN" "$@"
}

# n8n_e2e_execute <workflow id>: stdout gets only the run data, as one line of JSON;
# n8n's full output is kept in $N8N_E2E_HOME/execute-<id>.log.
# Exit code: n8n's (0 = run succeeded, also when a node failed under Continue On Fail;
# 1 = the run failed, the run JSON with "status": "error" is still printed), or 2 when
# no run JSON could be found in n8n's output.
n8n_e2e_execute() {
  local log="$N8N_E2E_HOME/execute-$1.log" rc=0
  n8n_e2e execute --id="$1" --rawOutput >"$log" 2>&1 || rc=$?
  "$N8N_E2E_NODE" "$_n8n_e2e_here/extract-run.cjs" <"$log" || return 2
  return "$rc"
}

n8n_e2e_teardown() {
  if [ -n "${N8N_E2E_HOME:-}" ] && [ -d "$N8N_E2E_HOME" ]; then rm -rf "$N8N_E2E_HOME"; fi
  unset N8N_E2E_HOME
}

n8n_e2e_locate
