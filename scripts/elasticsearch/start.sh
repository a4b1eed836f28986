#!/usr/bin/env bash
# Starts one throw-away Elasticsearch node on 127.0.0.1 for tests and CI.
#
#   scripts/elasticsearch/start.sh        -> last stdout line: http://127.0.0.1:9250
#   scripts/elasticsearch/stop.sh         -> stops it again
#
# Env: ES_PORT (HTTP port, default 9250), ES_TRANSPORT_PORT (default ES_PORT+100),
#      ES_HEAP (default 512m), ES_START_TIMEOUT (seconds, default 180),
#      ES_JAVA_HOME / JAVA_HOME (else the `java` on PATH; Java 17 or newer).
# Only the URL goes to stdout; progress and errors go to stderr, so callers can
# take the last stdout line as the URL.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE="$REPO_ROOT/.cache/elasticsearch"

PORT="${ES_PORT:-9250}"
TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((PORT + 100))}"
HEAP="${ES_HEAP:-512m}"
TIMEOUT="${ES_START_TIMEOUT:-180}"

say() { echo "elasticsearch: $*" >&2; }
die() { echo "elasticsearch: ERROR: $*" >&2; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ && "$TRANSPORT_PORT" =~ ^[0-9]+$ ]] || die "ES_PORT/ES_TRANSPORT_PORT must be numbers"
command -v curl >/dev/null || die "curl is required (used to wait for cluster health)"

# --- Java: ES's launcher wants a JDK home, not just a java binary. -------------
JAVA_DIR="${ES_JAVA_HOME:-${JAVA_HOME:-}}"
if [[ -z "$JAVA_DIR" ]]; then
  JAVA_BIN="$(command -v java || true)"
  [[ -n "$JAVA_BIN" ]] || die "Java not found: install a JDK 17+ or set ES_JAVA_HOME/JAVA_HOME"
  JAVA_DIR="$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")"
fi
[[ -x "$JAVA_DIR/bin/java" ]] || die "no executable java in $JAVA_DIR/bin (check ES_JAVA_HOME/JAVA_HOME)"
JAVA_MAJOR="$("$JAVA_DIR/bin/java" -version 2>&1 | head -n1 | sed -E 's/.*version "([0-9]+).*/\1/')"
[[ "$JAVA_MAJOR" =~ ^[0-9]+$ && "$JAVA_MAJOR" -ge 17 ]] \
  || die "Elasticsearch 8 needs Java 17 or newer, found '$JAVA_MAJOR' in $JAVA_DIR"

# --- Distribution: resolved once through Maven, then reused from .cache. --------
ES_VERSION="$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$SCRIPT_DIR/pom.xml" | head -n1)"
[[ -n "$ES_VERSION" ]] || die "could not read <es.version> from $SCRIPT_DIR/pom.xml"
ES_HOME="$CACHE/elasticsearch-$ES_VERSION"
mkdir -p "$CACHE"
if [[ ! -f "$ES_HOME/.unpacked" ]]; then
  command -v mvn >/dev/null || die "Maven (mvn) not found: it is needed once to fetch Elasticsearch $ES_VERSION from Maven Central"
  # A lock, because parallel test runs on different ports share one unpacked copy.
  exec 9>"$CACHE/.unpack.lock"
  flock 9
  if [[ ! -f "$ES_HOME/.unpacked" ]]; then
    say "fetching Elasticsearch $ES_VERSION through Maven (about 102 MiB on the first run)"
    rm -rf "$ES_HOME" "$CACHE/maven-target/markers"
    # Maven's output is only worth reading when it fails.
    if ! mvn -B -q -f "$SCRIPT_DIR/pom.xml" dependency:unpack-dependencies >"$CACHE/maven.log" 2>&1; then
      cat "$CACHE/maven.log" >&2
      die "Maven could not fetch/unpack org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION (log above)"
    fi
    [[ -f "$ES_HOME/lib/elasticsearch-$ES_VERSION.jar" ]] || die "unpacked distribution not found in $ES_HOME"
    chmod +x "$ES_HOME"/bin/* # zip unpacking may drop the executable bits
    touch "$ES_HOME/.unpacked"
  fi
  flock -u 9
fi

# --- Refuse to clobber a node that is still running on this port. --------------
PID_FILE="$CACHE/node-$PORT.pid"
LAUNCHER_PID_FILE="$CACHE/node-$PORT.launcher.pid"
LOG="$CACHE/node-$PORT.log"
for f in "$PID_FILE" "$LAUNCHER_PID_FILE"; do
  # Compare the command line too: a stale pid may now belong to something else.
  if [[ -s "$f" ]] && tr '\0' ' ' <"/proc/$(cat "$f")/cmdline" 2>/dev/null | grep -q 'org\.elasticsearch'; then
    die "a node started by this script is still running on port $PORT (pid $(cat "$f")); run scripts/elasticsearch/stop.sh"
  fi
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use; set ES_PORT to a free port (or point ELASTICSEARCH_URL at that server)"
fi
rm -f "$PID_FILE" "$LAUNCHER_PID_FILE"

# --- Fresh config and data for every start, so each run begins empty. ----------
CONF="$CACHE/config-$PORT"
DATA="$CACHE/data-$PORT"
LOGS="$CACHE/logs-$PORT"
TMP="$CACHE/tmp-$PORT" # else the launcher leaves a /tmp/elasticsearch-* folder per run
rm -rf "$CONF" "$DATA" "$LOGS" "$TMP"
mkdir -p "$CONF" "$DATA" "$LOGS" "$TMP"
# The stock JVM options minus the GC log file and heap dumps (a 512 MiB dump per
# crash would fill a small disk).
grep -v -e '^-Xlog:gc' -e 'HeapDumpOnOutOfMemoryError' "$ES_HOME/config/jvm.options" >"$CONF/jvm.options"
# Everything goes to the console, which start.sh sends to node-<port>.log.
cat >"$CONF/log4j2.properties" <<'EOF'
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
EOF
cat >"$CONF/elasticsearch.yml" <<EOF
cluster.name: caseops-test
node.name: caseops-test-$PORT
path.data: $DATA
path.logs: $LOGS
network.host: 127.0.0.1
http.port: $PORT
transport.port: $TRANSPORT_PORT
discovery.type: single-node
# Test node: plain HTTP, no users (the integ-test-zip ships x-pack-security).
xpack.security.enabled: false
# The disk may be nearly full on CI machines; never block writes because of it.
cluster.routing.allocation.disk.threshold_enabled: false
# Let tests clean up with wildcards (DELETE /caseops-test-*).
action.destructive_requires_name: false
EOF

# --- Launch. ---------------------------------------------------------------------
# Elasticsearch refuses to run as root. CI runs as root, so in that case run it in
# a user namespace as uid 1000: it no longer sees itself as root, while the files
# it writes stay owned by root and every folder it needs stays readable.
RUN_AS=()
if [[ "$(id -u)" == 0 ]]; then
  if unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
    RUN_AS=(unshare --user --map-user=1000 --map-group=1000 --)
  else
    die "running as root, and Elasticsearch refuses root; 'unshare --user' is not available here to drop it: run as a normal user"
  fi
fi

say "starting Elasticsearch $ES_VERSION on 127.0.0.1:$PORT (Java $JAVA_MAJOR, heap $HEAP), log: $LOG"
# setsid + nohup + no inherited stdio: the node outlives this script and does not
# hold the caller's pipes open (Node's execFile would otherwise wait for it).
# --wait keeps $! alive as long as the node even if setsid has to fork.
env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS \
  ES_JAVA_HOME="$JAVA_DIR" ES_PATH_CONF="$CONF" ES_TMPDIR="$TMP" ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
  nohup setsid --wait "${RUN_AS[@]}" "$ES_HOME/bin/elasticsearch" -p "$PID_FILE" \
  >"$LOG" 2>&1 </dev/null &
LAUNCHER_PID=$!
echo "$LAUNCHER_PID" >"$LAUNCHER_PID_FILE"

# An exited launcher stays a zombie child of this script until we exit, and
# kill -0 still succeeds on a zombie: look at its state instead.
launcher_running() {
  [[ -r "/proc/$LAUNCHER_PID/status" ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$LAUNCHER_PID/status"
}

URL="http://127.0.0.1:$PORT"
deadline=$((SECONDS + TIMEOUT))
while :; do
  status="$(curl -s --max-time 3 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" \
    | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true)"
  if [[ "$status" == green || "$status" == yellow ]]; then
    break
  fi
  if ! launcher_running; then
    tail -n 40 "$LOG" >&2 || true
    rm -f "$PID_FILE" "$LAUNCHER_PID_FILE"
    die "Elasticsearch exited during startup (log above, full log: $LOG)"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 40 "$LOG" >&2 || true
    "$SCRIPT_DIR/stop.sh" >&2 || true
    die "Elasticsearch did not reach yellow/green health within ${TIMEOUT}s (full log: $LOG)"
  fi
  sleep 0.5
done

# Elasticsearch writes the server's pid itself (-p) early in startup.
[[ -s "$PID_FILE" ]] || die "node is up but wrote no pid file $PID_FILE"
say "up after ${SECONDS}s: cluster health $status, pid $(cat "$PID_FILE")"
echo "$URL"
