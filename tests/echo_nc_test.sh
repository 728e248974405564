#!/usr/bin/env bash
# The echo example as a user runs it, spoken to by a client nobody here
# wrote: nc from Debian's netcat-openbsd. Several clients at once, each with
# distinct data, each half-closing; every byte must come back.
set -euo pipefail

echo_bin="$1"
if ! command -v nc >/dev/null; then
  echo "nc not found: install Debian's netcat-openbsd (tools/bazel does)" >&2
  exit 1
fi

out="${TEST_TMPDIR:-$(mktemp -d)}"
"${echo_bin}" --addr=127.0.0.1:0 >"${out}/server.log" 2>&1 &
server=$!
trap 'kill ${server} 2>/dev/null || true' EXIT

# Wait for the line that names the bound port (the server prints it once
# listening), not for a fixed time.
for _ in $(seq 1 500); do
  grep -q 'listening on' "${out}/server.log" && break
  kill -0 "${server}" || { cat "${out}/server.log"; exit 1; }
  sleep 0.01
done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "${out}/server.log" | grep -o '[0-9]*$')
[[ -n "${port}" ]] || { echo "no port in server output" >&2; exit 1; }

pids=()
for i in $(seq 1 20); do
  head -c $((1000 * i + 17)) /dev/urandom >"${out}/in.${i}"
  # -N: shut down the socket's write side at stdin EOF; the server echoes
  # the rest and closes, which ends nc.
  nc -N 127.0.0.1 "${port}" <"${out}/in.${i}" >"${out}/out.${i}" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "${pid}"; done
for i in $(seq 1 20); do
  cmp "${out}/in.${i}" "${out}/out.${i}"
done
kill -0 "${server}"  # still serving
echo "20 nc clients echoed exactly"
