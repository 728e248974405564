#!/usr/bin/env bash
# A smoke run of the real redis-benchmark against mini-redis (issue #18):
# PING (inline and RESP), SET and GET, 10,000 requests each, one at a time
# and 16 pipelined. Fails on any error reply or any test that did not
# finish. Speed is measured by tools/bench/redis.sh, not here.
set -euo pipefail

server_bin="$1"
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not found: install redis-tools" >&2; exit 1; }

source "$(dirname "$0")/start_echo.sh"
start_echo "${server_bin}"
trap 'kill ${server} 2>/dev/null || true' EXIT

for pipeline in 1 16; do
  out=$(redis-benchmark -p "${port}" -t ping,set,get -n 10000 -c 20 \
        -P "${pipeline}" --csv 2>&1)
  if grep -qi "error" <<<"${out}"; then
    echo "redis-benchmark -P ${pipeline} got errors:" >&2
    echo "${out}" >&2
    exit 1
  fi
  for test in PING_INLINE PING_MBULK SET GET; do
    grep -q "^\"${test}\"," <<<"${out}" || {
      echo "redis-benchmark -P ${pipeline}: no result for ${test}:" >&2
      echo "${out}" >&2
      exit 1
    }
  done
  echo "redis-benchmark -P ${pipeline}: $(grep -c '^"[A-Z_]*",' <<<"${out}") tests, no errors"
done
