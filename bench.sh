#!/usr/bin/env bash
# Launch benchmark of LtiMicroCred: full LTI 1.3 launches (login initiation + id_token validation + user upsert +
# first page) through the built-in sandbox LMS at 50 concurrent clients, on SQLite and on PostgreSQL, with this
# machine's bare RS256 rate as the reference. Target: tool-only p99 under 50 ms at 50 concurrent on 2 cores.
#
# Builds Release, prints the RS256 reference, then for each database starts the host on a free loopback port
# (PostgreSQL: a throwaway cluster, as test.sh makes it), waits for /health, runs the load driver
# (tests/LtiMicroCred.Benchmarks) and stops the host. All tables are printed at the end, as Markdown.
#
# BENCH_SUITES=queues instead (or as well: "launches queues") generates a Tennessee-sized tenant in the throwaway
# PostgreSQL (67,000 teachers, 500,000 attempts, 1.5 million peer reviews; about 5 minutes) and times the principal's
# and the reviewer's queues on it. Target: p95 under 150 ms.
#
# BENCH_SUITES=reports generates the same tenant with what the reports read (skill frameworks and alignments, three
# years of incentive budgets, reservations, decisions and ledger awards over ~2.5 years; about 8 minutes) and times
# the progress, expertise and incentives reports (and their CSV) as the pages produce them: a district admin with no
# filter, filtered to one school / one credential / 90 days, and a principal of one school. Target: p95 under 300 ms.
#
# Usage: ./bench.sh
# Env:   BENCH_CONCURRENCY=50 BENCH_WARMUP=200 BENCH_LAUNCHES=2000
#        BENCH_HOST_WARMUP=2000      first, warm-up rounds of this many launches at BENCH_CONCURRENCY back to back, each a
#                                    driver run of its own, until the host's CPU per launch falls by less than 5 % from
#                                    one round to the next: a fresh host's JIT needs several thousand launches and an
#                                    idle moment or two before the hot path is compiled for good (0 = skip)
#        BENCH_WARMUP_ROUNDS=10      at most this many warm-up rounds
#        BENCH_SERIAL_LAUNCHES=200   an extra pass at 1 client, to see each step without queuing (0 = skip)
#        BENCH_RS256_SECONDS=2       per cell of the reference table
#        BENCH_THINK_MS=0            mean pause of each client between its launches (0: closed loop, back to back)
#        BENCH_WAIT_QUIET=120        before each run, wait up to this many seconds for other work on the machine
#                                    to stop (the report says how busy the machine was when the run started)
#        BENCH_DATABASES="sqlite postgresql"
#        BENCH_SUITES=launches       launches, queues and/or outbox (outbox: BENCH_OUTBOX_MESSAGES=10000,
#                                    BENCH_OUTBOX_CONCURRENCY=16; the outbox drain to a 50 ms WireMock AGS)
#        BENCH_QUEUE_SAMPLES=300     loads of each queue (queues suite)
#        BENCH_REPORT_SAMPLES=100    loads of each report and case (reports suite)
#        SKIP_BUILD=1                use the Release build that is there
#        SKIP_APT=1                  do not try to apt-get install PostgreSQL 15
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

PG_BIN=/usr/lib/postgresql/15/bin
# shellcheck source=scripts/pg-cluster.sh
source "$ROOT/scripts/pg-cluster.sh"
WEB_DIR="$ROOT/src/LtiMicroCred.Web"
WEB_DLL="$WEB_DIR/bin/Release/net10.0/LtiMicroCred.Web.dll"
BENCH_PROJECT="$ROOT/tests/LtiMicroCred.Benchmarks/LtiMicroCred.Benchmarks.csproj"
BENCH_DLL="$ROOT/tests/LtiMicroCred.Benchmarks/bin/Release/net10.0/LtiMicroCred.Benchmarks.dll"

CONCURRENCY="${BENCH_CONCURRENCY:-50}"
WARMUP="${BENCH_WARMUP:-200}"
HOST_WARMUP="${BENCH_HOST_WARMUP:-2000}"
WARMUP_ROUNDS="${BENCH_WARMUP_ROUNDS:-10}"
LAUNCHES="${BENCH_LAUNCHES:-2000}"
SERIAL_LAUNCHES="${BENCH_SERIAL_LAUNCHES:-200}"
RS256_SECONDS="${BENCH_RS256_SECONDS:-2}"
THINK_MS="${BENCH_THINK_MS:-0}"
WAIT_QUIET="${BENCH_WAIT_QUIET:-120}"
DATABASES="${BENCH_DATABASES:-sqlite postgresql}"
SUITES="${BENCH_SUITES:-launches}"
QUEUE_SAMPLES="${BENCH_QUEUE_SAMPLES:-300}"
REPORT_SAMPLES="${BENCH_REPORT_SAMPLES:-100}"
HEALTH_TIMEOUT=120

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "bench.sh: $*" >&2; }

for n in "$CONCURRENCY" "$WARMUP" "$HOST_WARMUP" "$WARMUP_ROUNDS" "$LAUNCHES" "$SERIAL_LAUNCHES" "$THINK_MS" "$WAIT_QUIET" "$QUEUE_SAMPLES"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { log "the BENCH_* numbers must be whole numbers"; exit 2; }
done
for db in $DATABASES; do
  [[ "$db" == sqlite || "$db" == postgresql ]] || { log "unknown database '$db' in BENCH_DATABASES (use sqlite and/or postgresql)"; exit 2; }
done
for suite in $SUITES; do
  [[ "$suite" == launches || "$suite" == queues || "$suite" == reports || "$suite" == outbox ]] || { log "unknown suite '$suite' in BENCH_SUITES (use launches, queues, reports and/or outbox)"; exit 2; }
done
want_launches=0
want_queues=0
want_outbox=0
want_reports=0
[[ " $SUITES " == *" reports "* ]] && want_reports=1
[[ " $SUITES " == *" outbox "* ]] && want_outbox=1
[[ " $SUITES " == *" launches "* ]] && want_launches=1
[[ " $SUITES " == *" queues "* ]] && want_queues=1
want_pg=0
((want_launches)) && [[ " $DATABASES " == *" postgresql "* ]] && want_pg=1
((want_queues)) && want_pg=1
((want_outbox)) && want_pg=1
((want_reports)) && want_pg=1

# ---------------------------------------------------------------- prerequisites
command -v curl >/dev/null 2>&1 || { log "curl is needed to wait for /health"; exit 1; }
if ((want_pg)) && [[ ! -x "$PG_BIN/initdb" ]]; then
  if [[ "${SKIP_APT:-}" == "1" ]]; then
    log "SKIP_APT=1 but PostgreSQL 15 is missing ($PG_BIN/initdb); run with BENCH_DATABASES=sqlite to skip it"
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "PostgreSQL 15 is missing; install it first: sudo apt-get install -y --no-install-recommends postgresql-15"
    exit 1
  fi
  log "installing postgresql-15 ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
fi

# Run PostgreSQL tools as the postgres user when we are root (initdb refuses root).
if [[ "$(id -u)" -eq 0 ]]; then
  if ((want_pg)) && ! id -u postgres >/dev/null 2>&1; then
    log "running as root but there is no 'postgres' user (reinstall postgresql-15)"
    exit 1
  fi
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# ---------------------------------------------------------------- clean-up
WORK=""
PGTMP=""
PGDATA_DIR=""
APP_PID=""

# shellcheck disable=SC2317  # called from the EXIT trap and between runs
stop_app() {
  [[ -n "$APP_PID" ]] || return 0
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 60; i++)); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$APP_PID" 2>/dev/null; then
      log "the host (pid $APP_PID) did not stop in 30 s; killing it"
      kill -KILL "$APP_PID" 2>/dev/null || true
    fi
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  stop_app
  stop_pg_cluster
  [[ -n "$PGTMP" && -d "$PGTMP" ]] && rm -rf "$PGTMP"
  [[ -n "$WORK" && -d "$WORK" ]] && rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ltimicrocred-bench.XXXXXXXX")"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"

# ------------------------------------------------------------------- build
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  for project in "$WEB_DIR/LtiMicroCred.Web.csproj" "$BENCH_PROJECT"; do
    log "dotnet build ${project#"$ROOT/"} -c Release"
    if ! dotnet build "$project" -c Release >"$WORK/build.log" 2>&1; then
      cat "$WORK/build.log" >&2
      log "build failed"
      exit 1
    fi
  done
fi
for dll in "$WEB_DLL" "$BENCH_DLL"; do
  [[ -f "$dll" ]] || { log "missing $dll (build Release first, or drop SKIP_BUILD)"; exit 1; }
done

# --------------------------------------------------------------- reference
if ((want_launches)); then
  log "RS256 reference (${RS256_SECONDS} s per cell)"
  dotnet "$BENCH_DLL" --rs256 --seconds "$RS256_SECONDS" --wait-quiet "$WAIT_QUIET" >"$RESULTS/0-rs256.md"
fi

# ---------------------------------------------------------- host start/stop
APP_PORT=""

# start_app NAME PROVIDER CONNECTION_STRING: the host on a free loopback port, ready when /health answers 200.
start_app() {
  local name="$1" provider="$2" connection="$3" attempt port applog code i
  for attempt in 1 2 3 4 5; do
    port="$(free_port)" || { log "no free port found in 20000-40000"; return 1; }
    applog="$WORK/host-$name.log"
    log "$name: starting the host on 127.0.0.1:$port (log: $applog)"
    # exec: the background job is the host itself, so APP_PID is the process to stop and to measure.
    (
      cd "$WEB_DIR"
      exec env \
        ASPNETCORE_ENVIRONMENT=Production \
        ASPNETCORE_URLS="http://127.0.0.1:$port" \
        Database__Provider="$provider" \
        Database__ConnectionString="$connection" \
        Database__MigrateAtStart=true \
        Sandbox__Enabled=true \
        Lti__AllowInsecurePlatformUrls=true \
        Logging__LogLevel__Default=Warning \
        dotnet "$WEB_DLL"
    ) </dev/null >"$applog" 2>&1 &
    APP_PID=$!
    for ((i = 0; i < HEALTH_TIMEOUT * 4; i++)); do
      if ! kill -0 "$APP_PID" 2>/dev/null; then
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=""
        break
      fi
      code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health" || true)"
      if [[ "$code" == "200" ]]; then
        APP_PORT="$port"
        log "$name: host ready (pid $APP_PID) after $((i / 4)) s"
        return 0
      fi
      sleep 0.25
    done
    if [[ -n "$APP_PID" ]]; then
      log "$name: /health did not answer 200 within $HEALTH_TIMEOUT s; host log:"
      tail -n 40 "$applog" >&2 || true
      stop_app
      return 1
    fi
    if grep -qi "address already in use" "$applog"; then
      log "$name: port $port was taken in the meantime (attempt $attempt); trying another one"
      continue
    fi
    log "$name: the host exited at start; its log:"
    tail -n 40 "$applog" >&2 || true
    return 1
  done
  log "$name: could not start the host"
  return 1
}

failures=0
DB_PID_ARGS=()
NOTES_ARGS=() # the notes are printed under the first launch table only

# run_database NAME PROVIDER CONNECTION_STRING ORDER  (DB_PID_ARGS: --db-pid of a database server, if any)
run_database() {
  local name="$1" provider="$2" connection="$3" order="$4" rc
  if ! start_app "$name" "$provider" "$connection"; then
    failures=$((failures + 1))
    printf '### Full LTI launches: %s\n\nNot measured: the host did not start (see the messages above).\n\n' "$name" >"$RESULTS/$order-a.md"
    return 0
  fi

  # A fresh host runs its first few thousand launches at a third to half speed: the JIT compiles the hot path at
  # tier 0, then instrumented, then optimized. It also holds tier-1 compilation back while it keeps meeting new
  # methods, and under uninterrupted load it catches up in the next run after a pause, so one long warm-up is not
  # enough. Warm-up rounds (each its own driver run, as the measured run is) repeat until the host's CPU per launch
  # stops falling. That is a one-off cost after each start, so they get tables of their own.
  if ((HOST_WARMUP > 0)); then
    local round=0 previous="" current row
    {
      echo "### Warm-up rounds: $name"
      echo
      echo "Rounds of $HOST_WARMUP launches at $CONCURRENCY concurrent, each a separate driver run, until the host's CPU per launch falls by less than 5 % from one round to the next (at most $WARMUP_ROUNDS rounds)."
      echo
      echo "| Round | Launches/s | Tool-only p99 (ms) | Host CPU per launch (ms) |"
      echo "|---:|---:|---:|---:|"
    } >"$RESULTS/$order-0r.md"
    while ((round < WARMUP_ROUNDS)); do
      round=$((round + 1))
      rc=0
      dotnet "$BENCH_DLL" --base-url "http://127.0.0.1:$APP_PORT" --concurrency "$CONCURRENCY" --warmup 0 \
        --launches "$HOST_WARMUP" --label "$name, warm-up round $round after the host started (JIT warm-up)" \
        --host-pid "$APP_PID" "${DB_PID_ARGS[@]}" --wait-quiet "$WAIT_QUIET" --no-notes >"$WORK/warmup-$name-$round.md" || rc=$?
      ((rc == 0)) || { failures=$((failures + 1)); log "$name: warm-up round $round reported failures (exit $rc)"; break; }
      # The first round keeps its full table: it is what a freshly started host delivers.
      ((round == 1)) && cp "$WORK/warmup-$name-$round.md" "$RESULTS/$order-0.md"
      current="$(grep -o 'host process (tool + sandbox LMS) [0-9.]* ms' "$WORK/warmup-$name-$round.md" | grep -o '[0-9.]*' | head -n 1 || true)"
      row="$(grep '^| Tool only' "$WORK/warmup-$name-$round.md" | awk -F'|' '{ gsub(/ /, "", $5); gsub(/ /, "", $8); print $5 " | " $8 }' || true)"
      echo "| $round | $row | ${current:-?} |" >>"$RESULTS/$order-0r.md"
      log "$name: warm-up round $round: host ${current:-?} ms of CPU per launch"
      [[ -n "$current" ]] || break
      if [[ -n "$previous" ]] && awk -v c="$current" -v p="$previous" 'BEGIN { exit !(c >= 0.95 * p) }'; then
        break
      fi
      previous="$current"
    done
    echo >>"$RESULTS/$order-0r.md"
  fi

  rc=0
  dotnet "$BENCH_DLL" --base-url "http://127.0.0.1:$APP_PORT" --concurrency "$CONCURRENCY" --warmup "$WARMUP" \
    --launches "$LAUNCHES" --think-ms "$THINK_MS" --label "$name" --host-pid "$APP_PID" "${DB_PID_ARGS[@]}" \
    --wait-quiet "$WAIT_QUIET" "${NOTES_ARGS[@]}" >"$RESULTS/$order-a.md" || rc=$?
  NOTES_ARGS=(--no-notes)
  ((rc == 0)) || { failures=$((failures + 1)); log "$name: the load run reported failures (exit $rc)"; }

  if ((SERIAL_LAUNCHES > 0)); then
    rc=0
    dotnet "$BENCH_DLL" --base-url "http://127.0.0.1:$APP_PORT" --concurrency 1 --warmup 20 \
      --launches "$SERIAL_LAUNCHES" --label "$name" --host-pid "$APP_PID" "${DB_PID_ARGS[@]}" \
      --wait-quiet "$WAIT_QUIET" --no-notes >"$RESULTS/$order-b.md" || rc=$?
    ((rc == 0)) || { failures=$((failures + 1)); log "$name: the 1-client run reported failures (exit $rc)"; }
  fi

  if grep -qE '(fail|crit):' "$WORK/host-$name.log"; then
    log "$name: the host logged errors; the last ones:"
    grep -E -A 3 '(fail|crit):' "$WORK/host-$name.log" | tail -n 20 >&2 || true
  fi
  log "$name: stopping the host"
  stop_app
}

# ------------------------------------------------------------------ SQLite
if ((want_launches)) && [[ " $DATABASES " == *" sqlite "* ]]; then
  mkdir -p "$WORK/sqlite"
  run_database SQLite Sqlite "Data Source=$WORK/sqlite/ltimc-bench.db" 1
fi

# -------------------------------------------------------------- PostgreSQL
if ((want_pg)); then
  PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/ltimicrocred-pg.XXXXXXXX")"
  PGDATA_DIR="$PGTMP/data"
  mkdir "$PGDATA_DIR"
  if [[ "$(id -u)" -eq 0 ]]; then
    chown -R postgres:postgres "$PGTMP"
  fi
  chmod 700 "$PGTMP" "$PGDATA_DIR"

  if ! as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    >"$PGTMP/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$PGTMP/initdb.log" >&2
    exit 1
  fi

  PG_PORT=""
  for attempt in 1 2 3 4 5; do
    port="$(free_port)" || { log "no free port found in 20000-40000"; break; }
    if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" \
      -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      -w -t 60 -l "$PGTMP/log" start >/dev/null 2>&1; then
      PG_PORT="$port"
      break
    fi
    # Most likely the port was taken in the meantime; try another one.
    log "PostgreSQL did not start on port $port (attempt $attempt)"
  done
  if [[ -z "$PG_PORT" ]]; then
    log "could not start PostgreSQL; server log:"
    cat "$PGTMP/log" >&2 2>/dev/null || true
    exit 1
  fi
  log "throwaway PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PGDATA_DIR)"
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE ltimc_bench" >/dev/null

  # The postmaster: the driver adds up its CPU and that of its backends.
  pg_pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
  [[ "$pg_pid" =~ ^[0-9]+$ ]] && DB_PID_ARGS=(--db-pid "$pg_pid")
  if ((want_launches)) && [[ " $DATABASES " == *" postgresql "* ]]; then
    run_database PostgreSQL PostgreSql "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=ltimc_bench" 2
  fi
  if ((want_queues)); then
    log "queues: generating the Tennessee-sized tenant and timing the queues"
    rc=0
    dotnet "$BENCH_DLL" --queues --postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres" \
      --samples "$QUEUE_SAMPLES" >"$RESULTS/3-queues.md" || rc=$?
    ((rc == 0)) || { failures=$((failures + 1)); log "queues: a queue missed its p95 target or the run failed (exit $rc)"; }
  fi
  if ((want_reports)); then
    log "reports: generating the Tennessee-sized tenant with its report data and timing the reports"
    rc=0
    dotnet "$BENCH_DLL" --reports --postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres" \
      --samples "$REPORT_SAMPLES" >"$RESULTS/5-reports.md" || rc=$?
    ((rc == 0)) || { failures=$((failures + 1)); log "reports: a report missed its p95 target or the run failed (exit $rc)"; }
  fi
  if ((want_outbox)); then
    log "outbox: draining ${BENCH_OUTBOX_MESSAGES:-10000} grade messages to a WireMock AGS at 50 ms per request"
    rc=0
    dotnet "$BENCH_DLL" --outbox --postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres" \
      --messages "${BENCH_OUTBOX_MESSAGES:-10000}" --concurrency "${BENCH_OUTBOX_CONCURRENCY:-16}" >"$RESULTS/4-outbox.md" || rc=$?
    ((rc == 0)) || { failures=$((failures + 1)); log "outbox: lost or duplicated messages, over 1.2x of ideal, or the run failed (exit $rc)"; }
  fi
fi

# ------------------------------------------------------------------ report
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain -- src migrations 2>/dev/null || true)" ]]; then
  commit="$commit + uncommitted changes in src/ or migrations/"
fi
{
  echo
  echo "## LtiMicroCred benchmark ($SUITES)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) logical cores, $(dotnet --version 2>/dev/null || echo '?') SDK."
  echo "Command: BENCH_SUITES=\"$SUITES\" BENCH_QUEUE_SAMPLES=$QUEUE_SAMPLES BENCH_REPORT_SAMPLES=$REPORT_SAMPLES BENCH_CONCURRENCY=$CONCURRENCY BENCH_HOST_WARMUP=$HOST_WARMUP BENCH_WARMUP_ROUNDS=$WARMUP_ROUNDS BENCH_WARMUP=$WARMUP BENCH_LAUNCHES=$LAUNCHES BENCH_SERIAL_LAUNCHES=$SERIAL_LAUNCHES BENCH_THINK_MS=$THINK_MS ./bench.sh"
  echo "Host: Release build, ASPNETCORE_ENVIRONMENT=Production, log level Warning, sandbox LMS on, Hangfire server on."
  echo "PostgreSQL: throwaway 15 cluster on loopback with fsync=off, synchronous_commit=off, full_page_writes=off (as test.sh)."
  echo "SQLite: a fresh file in a temp directory, WAL."
  echo "The host, the database server and the load driver all run on this machine and share its cores."
  echo
  cat "$RESULTS"/*.md
}

if ((failures > 0)); then
  log "$failures run(s) reported failures; see above"
  exit 1
fi
exit 0
