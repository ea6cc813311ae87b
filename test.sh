#!/usr/bin/env bash
# Runs every test of LtiMicroCred: builds the solution once, starts a throwaway
# PostgreSQL 15 cluster on a free loopback port, runs `dotnet test` for the whole
# solution and prints a summary. The last line is always "N passed, N failed".
#
# Usage: ./test.sh [extra dotnet test args]   e.g. ./test.sh --filter FullyQualifiedName~Launch
# Env:   SKIP_APT=1  do not try to apt-get install PostgreSQL 15 / Chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

PG_BIN=/usr/lib/postgresql/15/bin
# shellcheck source=scripts/pg-cluster.sh
source "$ROOT/scripts/pg-cluster.sh"
CHROMIUM=/usr/bin/chromium
RESULTS="$ROOT/.test-results"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

summary() {
  # The one and only "N passed, N failed" line; must be printed last.
  echo "$1 passed, $2 failed"
}

# ---------------------------------------------------------------- prerequisites
need_pkgs=()
[[ -x "$PG_BIN/initdb" ]] || need_pkgs+=(postgresql-15)
[[ -x "$CHROMIUM" ]] || need_pkgs+=(chromium fonts-liberation)

if ((${#need_pkgs[@]} > 0)); then
  if [[ "${SKIP_APT:-}" == "1" ]]; then
    echo "test.sh: SKIP_APT=1 but missing: ${need_pkgs[*]} (need $PG_BIN/initdb and $CHROMIUM)" >&2
    summary 0 0
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "test.sh: missing ${need_pkgs[*]}; install them first: sudo apt-get install -y --no-install-recommends ${need_pkgs[*]}" >&2
    summary 0 0
    exit 1
  fi
  echo "test.sh: installing ${need_pkgs[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# Run PostgreSQL tools as the postgres user when we are root (initdb refuses root).
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id -u postgres >/dev/null 2>&1; then
    echo "test.sh: running as root but there is no 'postgres' user (reinstall postgresql-15)" >&2
    summary 0 0
    exit 1
  fi
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# ------------------------------------------------------- throwaway PostgreSQL
PGTMP=""
PGDATA_DIR=""
TEST_PID=""

# shellcheck disable=SC2317  # called from the EXIT trap
stop_tests() {
  # End the dotnet test process group we started (by its id), if still running.
  [[ -n "$TEST_PID" ]] || return 0
  kill -0 "$TEST_PID" 2>/dev/null || return 0
  echo "test.sh: interrupted; stopping dotnet test (process group $TEST_PID)" >&2
  kill -TERM -- "-$TEST_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 20; i++)); do
    kill -0 -- "-$TEST_PID" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$TEST_PID" 2>/dev/null || true
}

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  stop_tests
  stop_pg_cluster
  if [[ -n "$PGTMP" && -d "$PGTMP" ]]; then
    rm -rf "$PGTMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/ltimicrocred-pg.XXXXXXXX")"
PGDATA_DIR="$PGTMP/data"
mkdir "$PGDATA_DIR"
if [[ "$(id -u)" -eq 0 ]]; then
  chown -R postgres:postgres "$PGTMP"
fi
chmod 700 "$PGTMP" "$PGDATA_DIR"

if ! as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
  >"$PGTMP/initdb.log" 2>&1; then
  echo "test.sh: initdb failed:" >&2
  cat "$PGTMP/initdb.log" >&2
  summary 0 0
  exit 1
fi

PG_PORT=""
for attempt in 1 2 3 4 5; do
  port="$(free_port)" || { echo "test.sh: no free port found in 20000-40000" >&2; break; }
  if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" \
    -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    -w -t 60 -l "$PGTMP/log" start >/dev/null 2>&1; then
    PG_PORT="$port"
    break
  fi
  # Most likely the port was taken in the meantime; try another one.
  echo "test.sh: PostgreSQL did not start on port $port (attempt $attempt)" >&2
done
if [[ -z "$PG_PORT" ]]; then
  echo "test.sh: could not start PostgreSQL; server log:" >&2
  cat "$PGTMP/log" >&2 2>/dev/null || true
  summary 0 0
  exit 1
fi
echo "test.sh: throwaway PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PGDATA_DIR)"

export LTIMICROCRED_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export LTIMICROCRED_CHROMIUM="$CHROMIUM"

# ------------------------------------------------------------------- build
echo "test.sh: dotnet build LtiMicroCred.sln -c Release"
BUILD_LOG="$PGTMP/build.log"
if ! dotnet build LtiMicroCred.sln -c Release >"$BUILD_LOG" 2>&1; then
  cat "$BUILD_LOG"
  echo "test.sh: build failed" >&2
  summary 0 0
  exit 1
fi
grep -E '^\s*[0-9]+ Warning\(s\)|^\s*[0-9]+ Error\(s\)|Time Elapsed' "$BUILD_LOG" || true

# -------------------------------------------------------------------- test
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
test_rc=0
# Run dotnet test as a background job in its own process group and wait for it,
# so that an interrupt (Ctrl-C, CI cancel) runs our trap at once: the trap ends
# that process group (dotnet test, its test hosts and any browser they started)
# and then stops the PostgreSQL cluster.
set -m
# A test host that hangs is ended after 8 minutes and counted as failed, rather than holding CI for its whole limit.
dotnet test LtiMicroCred.sln -c Release --no-build \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --logger "trx;LogFilePrefix=r" --results-directory "$RESULTS" "$@" </dev/null &
TEST_PID=$!
set +m
wait "$TEST_PID" || test_rc=$?
TEST_PID=""

# ----------------------------------------------------------------- summary
attr() {
  # attr NAME <<< '<Counters .../>' -> the attribute's number, or 0
  local v
  v="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" | head -n 1)"
  echo "${v:-0}"
}

xml_unescape() {
  sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'
}

passed=0
failed=0
executed=0
trx_count=0
failed_names=()
while IFS= read -r -d '' trx; do
  trx_count=$((trx_count + 1))
  # Put every element on its own line so attributes can be read with sed.
  flat="$(tr '\n\r' '  ' <"$trx" | sed 's/</\n</g')"
  counters="$(grep -m 1 '^<Counters[[:space:]]' <<<"$flat" || true)"
  if [[ -z "$counters" ]]; then
    echo "test.sh: no <Counters> in $trx" >&2
    continue
  fi
  p="$(attr passed <<<"$counters")"
  f="$(attr failed <<<"$counters")"
  e="$(attr error <<<"$counters")"
  t="$(attr timeout <<<"$counters")"
  a="$(attr aborted <<<"$counters")"
  x="$(attr executed <<<"$counters")"
  passed=$((passed + p))
  failed=$((failed + f + e + t + a))
  executed=$((executed + x))
  while IFS= read -r name; do
    [[ -n "$name" ]] && failed_names+=("$name")
  done < <(grep '^<UnitTestResult[[:space:]]' <<<"$flat" |
    grep '[[:space:]]outcome="Failed"' |
    sed -n 's/.*[[:space:]]testName="\([^"]*\)".*/\1/p' | xml_unescape)
done < <(find "$RESULTS" -type f -name '*.trx' -print0 | sort -z)

nothing_ran=0
if ((trx_count == 0)); then
  echo "test.sh: no .trx file was produced in $RESULTS" >&2
  nothing_ran=1
elif ((executed == 0 && passed + failed == 0)); then
  echo "test.sh: no tests were executed" >&2
  nothing_ran=1
fi

echo
if ((${#failed_names[@]} > 0)); then
  echo "Failed tests:"
  printf '  %s\n' "${failed_names[@]}"
fi
if ((test_rc != 0)); then
  echo "test.sh: dotnet test exited with code $test_rc"
fi
summary "$passed" "$failed"

if ((failed > 0 || test_rc != 0 || nothing_ran)); then
  exit 1
fi
exit 0
