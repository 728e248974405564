#!/usr/bin/env bash
# The echo example on a Unix socket (--unix=PATH), spoken to by nc -U;
# started twice on the same path, since the first run's socket file must
# not stop the second (the example binds with remove_stale); and a graceful
# stop removes the file.
set -euo pipefail

echo_bin="$1"
command -v nc >/dev/null || { echo "nc not found: install netcat-openbsd" >&2; exit 1; }

dir=$(mktemp -d /tmp/weft-echo-unix.XXXXXX)  # short: sun_path is 107 bytes
sock="${dir}/echo.sock"
trap 'kill ${server:-} 2>/dev/null || true; rm -rf "${dir}"' EXIT

start() {
  # A fresh log each time: the old one would say "listening" before the
  # new server's redirect had emptied it.
  local log
  log=$(mktemp -p "${dir}" log.XXXXXX)
  "${echo_bin}" --unix="${sock}" >"${log}" 2>&1 &
  server=$!
  for _ in $(seq 1 500); do
    grep -q "listening on unix:${sock}" "${log}" && return 0
    kill -0 "${server}" 2>/dev/null || { cat "${log}"; return 1; }
    sleep 0.01
  done
  echo "the server never said it was listening" >&2
  return 1
}

start
head -c 100000 /dev/urandom >"${dir}/in"
nc -U -N "${sock}" <"${dir}/in" >"${dir}/out"
cmp "${dir}/in" "${dir}/out"
echo "nc -U echoed 100000 bytes"

kill -9 "${server}"  # dies without cleaning up: its socket file stays
wait "${server}" 2>/dev/null || true
[[ -S "${sock}" ]] || { echo "expected the dead server's socket file" >&2; exit 1; }
start                # binds anyway: nobody answered on the stale file
printf 'again\n' | nc -U -N "${sock}" | grep -qx again
echo "restarted over a stale socket file"

kill -TERM "${server}"
wait "${server}"
[[ ! -e "${sock}" ]] || { echo "the socket file outlived a graceful stop" >&2; exit 1; }
echo "a graceful stop removed the socket file"
