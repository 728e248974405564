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
source "$(dirname "$0")/start_echo.sh"
start_echo "${echo_bin}"
trap 'kill ${server} 2>/dev/null || true' EXIT
result=$("${load_bin}" --addr=127.0.0.1:"${port}" --conns=10000 --size=256 \
  --warmup=0s --duration=3s)
echo "${result}"
grep -q 'errors=0 ' <<<"${result}"
kill -0 "${server}"
echo "10,000 connections, every one echoed, no error"
