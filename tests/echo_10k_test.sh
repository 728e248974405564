#!/usr/bin/env bash
# Scale: 10,000 concurrent connections to the echo example, each echoed,
# every byte checked (by //tools/echo_load, which does not use weft). Client
# and server are separate processes, each needing ~10,000 descriptors.
set -euo pipefail
echo_bin="$1"
load_bin="$2"
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < 10100 )); then
  echo "need 10,100 open files per process, the hard limit is $(ulimit -Hn)" >&2
  exit 1
fi
out="${TEST_TMPDIR:-$(mktemp -d)}"
"${echo_bin}" --addr=127.0.0.1:0 >"${out}/server.log" 2>&1 &
server=$!
trap 'kill ${server} 2>/dev/null || true' EXIT
for _ in $(seq 1 500); do
  grep -q 'listening on' "${out}/server.log" && break
  sleep 0.01
done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "${out}/server.log" | grep -o '[0-9]*$')
result=$("${load_bin}" --addr=127.0.0.1:"${port}" --conns=10000 --size=256 \
  --warmup=0s --duration=3s)
echo "${result}"
grep -q 'errors=0 ' <<<"${result}"
kill -0 "${server}"
echo "10,000 connections, every one echoed, no error"
