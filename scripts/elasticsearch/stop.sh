#!/usr/bin/env bash
# Stops the node that start.sh started on ES_PORT (default 9250): SIGTERM, wait,
# then SIGKILL. Exits 0 when nothing was running, so it is safe in cleanup hooks.
#
# Env: ES_PORT, ES_STOP_TIMEOUT (seconds to wait after SIGTERM, default 30).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$(cd "$SCRIPT_DIR/../.." && pwd)/.cache/elasticsearch"
PORT="${ES_PORT:-9250}"
TIMEOUT="${ES_STOP_TIMEOUT:-30}"
PID_FILE="$CACHE/node-$PORT.pid"                   # the server JVM (written by Elasticsearch)
LAUNCHER_PID_FILE="$CACHE/node-$PORT.launcher.pid" # its launcher JVM (written by start.sh)

say() { echo "elasticsearch: $*" >&2; }

# Only signal a pid that is still one of ours: after a reboot or a long time the
# number may belong to some unrelated process.
ours() {
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'org\.elasticsearch'
}

stop_pid() {
  local pid="$1" what="$2"
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ours "$pid"; do
    if ((SECONDS >= deadline)); then
      say "$what (pid $pid) ignored SIGTERM for ${TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  say "stopped $what (pid $pid)"
}

found=0
# Server first (a clean Lucene shutdown), then the launcher, which normally exits
# by itself as soon as the server is gone.
for f in "$PID_FILE" "$LAUNCHER_PID_FILE"; do
  if [[ -s "$f" ]]; then
    found=1
    stop_pid "$(cat "$f")" "$([[ "$f" == "$PID_FILE" ]] && echo server || echo launcher)"
  fi
  rm -f "$f"
done
((found)) || say "no node recorded for port $PORT; nothing to stop"
