# Sourced by the shell tests: starts the echo example and waits for the line
# that names its port (not for a fixed time).
#   start_echo <binary> [flags...]   sets $server (pid) and $port
start_echo() {
  local bin="$1"
  shift
  # A fresh file per server: reusing one could show the previous server's
  # "listening on" line before this one's redirect truncates it.
  local log
  log=$(mktemp -p "${TEST_TMPDIR:-/tmp}" server.XXXXXX)
  "${bin}" --addr=127.0.0.1:0 "$@" >"${log}" 2>&1 &
  server=$!
  server_log="${log}"
  for _ in $(seq 1 500); do
    grep -q 'listening on' "${log}" && break
    kill -0 "${server}" 2>/dev/null || { cat "${log}"; return 1; }
    sleep 0.01
  done
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "${log}" | grep -o '[0-9]*$')
  [[ -n "${port}" ]] || { echo "no port in the server's output" >&2; return 1; }
}
