# Shared by test.sh and bench.sh (sourced, not run): loopback port probing and stopping the throwaway
# PostgreSQL cluster they start. Expects PG_BIN, PGDATA_DIR and an as_pg function from the caller.

port_in_use() {
  # Connecting succeeds only when something listens on the port.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local p tries
  p=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
  for ((tries = 0; tries < 200; tries++)); do
    if ! port_in_use "$p"; then
      echo "$p"
      return 0
    fi
    p=$((p + 1))
    ((p > 40000)) && p=20000
  done
  return 1
}

# shellcheck disable=SC2317  # called from the callers' EXIT traps
stop_pg_cluster() {
  [[ -n "${PGDATA_DIR:-}" && -f "$PGDATA_DIR/postmaster.pid" ]] || return 0
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1; then
    # pg_ctl could not stop it: end the postmaster we started, by its pid.
    local pid
    pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]]; then
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 1
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}
