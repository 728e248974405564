#!/usr/bin/env bash
# The echo example's graceful stop, as an operator sees it: SIGINT or
# SIGTERM while clients are connected ends the process with exit code 0,
# after giving the connections the grace period (cut short by a second
# signal), and says what it closed.
set -euo pipefail

echo_bin="$1"
source "$(dirname "$0")/start_echo.sh"
start_server() { start_echo "${echo_bin}" --grace="$1"; }

connect_client() {  # an nc whose echo proves the server accepted it
  coproc CLIENT { nc -N 127.0.0.1 "${port}"; }
  echo ping >&"${CLIENT[1]}"
  read -r -t 5 reply <&"${CLIENT[0]}"
  [[ "${reply}" == ping ]]
}

# 1. A client that stays connected is cut off after the grace period.
start_server 300ms
connect_client
t0=$(date +%s%N)
kill -INT "${server}"
rc=0; wait "${server}" || rc=$?
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
cat "${server_log}"
[[ ${rc} == 0 ]] || { echo "exit code ${rc}, want 0"; exit 1; }
((elapsed_ms >= 300)) || { echo "exited after ${elapsed_ms} ms, before the grace period"; exit 1; }
grep -q 'closed 1 connection (0 finished, 1 cut off' "${server_log}"
kill "${CLIENT_PID}" 2>/dev/null || true

# 2. A client that leaves during the grace period counts as finished, and
#    SIGTERM works like SIGINT.
start_server 10s
connect_client
kill -TERM "${server}"
for _ in $(seq 1 500); do
  grep -q 'stopped accepting' "${server_log}" && break
  sleep 0.01
done
exec {CLIENT[1]}>&-  # nc sees EOF on stdin, half-closes; the echo ends
rc=0; wait "${server}" || rc=$?
cat "${server_log}"
[[ ${rc} == 0 ]]
grep -q 'SIGTERM: stopped accepting; 1 connection open' "${server_log}"
grep -q 'closed 1 connection (1 finished, 0 cut off' "${server_log}"

# 3. A second signal during the grace period stops it at once (StopSignal
#    reports every delivery), cutting off who is still connected.
start_server 60s
connect_client
kill -INT "${server}"
for _ in $(seq 1 500); do
  grep -q 'stopped accepting' "${server_log}" && break
  sleep 0.01
done
kill -INT "${server}"
rc=0; wait "${server}" || rc=$?
cat "${server_log}"
[[ ${rc} == 0 ]]
grep -q 'closed 1 connection (0 finished, 1 cut off' "${server_log}"
kill "${CLIENT_PID}" 2>/dev/null || true
echo "graceful stop: ok"
