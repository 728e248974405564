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
source "$(dirname "$0")/start_echo.sh"
start_echo "${echo_bin}"
trap 'kill ${server} 2>/dev/null || true' EXIT

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
