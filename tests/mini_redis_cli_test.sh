#!/usr/bin/env bash
# mini-redis driven by a client nobody here wrote: Debian's redis-cli, for
# every command the server has, pipelining (--pipe), pub/sub, expiry and the
# graceful stop; then by its own CLI (//examples/mini_redis:cli). Waits are
# for events (a reply changing), never fixed.
set -euo pipefail

server_bin="$1"
cli_bin="$2"
command -v redis-cli >/dev/null || { echo "redis-cli not found: install redis-tools" >&2; exit 1; }

source "$(dirname "$0")/start_echo.sh"
start_echo "${server_bin}" --grace=2s
subscribers=()
trap 'kill ${server} ${subscribers[@]+"${subscribers[@]}"} 2>/dev/null || true' EXIT

r() { redis-cli -p "${port}" "$@"; }

# expect WANT ARGS...: redis-cli ARGS prints WANT (its non-tty output: one
# line per value, nil as an empty line, errors as their text).
expect() {
  local want="$1"
  shift
  local got
  got=$(r "$@" 2>&1)
  if [[ "${got}" != "${want}" ]]; then
    echo "redis-cli $*: got '${got}', want '${want}'" >&2
    exit 1
  fi
}

# until_reply WANT ARGS...: repeats redis-cli ARGS until it prints WANT
# (at most 10 s), for what happens after a time or in another client.
until_reply() {
  local want="$1"
  shift
  for _ in $(seq 1 1000); do
    [[ "$(r "$@" 2>&1)" == "${want}" ]] && return 0
    sleep 0.01
  done
  echo "redis-cli $*: never printed '${want}'" >&2
  exit 1
}

# Connection and probes.
expect PONG ping
expect "hello there" ping "hello there"
expect hi echo hi
expect save config get save   # and an empty value ($(...) drops it)
expect $'appendonly\nno' config get appendonly
expect "" command docs
expect "ERR unknown command 'frob', with args beginning with: 'a' " frob a
expect "ERR wrong number of arguments for 'get' command" get

# Strings.
expect OK set k v
expect v get k
expect "" get nope
expect "" set k other NX
expect OK set k v2 XX
expect v2 get k
expect "" set nope v XX
expect "ERR syntax error" set k v NX XX
expect 2 exists k k
expect 1 del k nope
expect 0 exists k
expect 1 incr n
expect 11 incrby n 10
expect 10 decr n
expect OK set word abc
expect "ERR value is not an integer or out of range" incr word
expect OK mset a 1 b 2
expect $'1\n\n2' mget a missing b

# Pipelining, as redis-cli --pipe sends it: every command at once.
pipe_out=$(printf 'SET p1 one\r\nSET p2 two\r\nGET p1\r\nINCR pn\r\nINCR pn\r\n' | r --pipe 2>&1)
grep -q "errors: 0, replies: 5" <<<"${pipe_out}" || { echo "--pipe said: ${pipe_out}" >&2; exit 1; }
expect two get p2
expect 2 get pn

# Expiry: EX/PX, TTL/PTTL, EXPIRE/PEXPIRE, and keys leaving on time.
# Within: a TTL read back is at most the one set, and less only by the time
# since (a loaded machine may take a while between two redis-cli runs).
within() {  # within LOW HIGH ARGS...: redis-cli ARGS prints a number in range
  local low="$1" high="$2"
  shift 2
  local got
  got=$(r "$@")
  (( got >= low && got <= high )) || { echo "redis-cli $*: ${got}, not in [${low}, ${high}]" >&2; exit 1; }
}
expect OK set e v EX 100
within 90 100 ttl e
expect 1 pexpire e 1000
within 1 1000 pttl e
until_reply "" get e
expect -2 ttl e
expect -1 ttl a
expect 1 expire a 100
within 90 100 ttl a
expect 0 expire nope 100
# A key nobody reads leaves too (the background expiry task): DBSIZE
# does not touch keys, so only that task can make it drop.
before=$(r dbsize)
expect OK set unread v PX 50
until_reply "${before}" dbsize

# Pub/sub, with redis-cli's own subscribe mode.
log_dir="${TEST_TMPDIR:-$(mktemp -d)}"
redis-cli -p "${port}" subscribe news >"${log_dir}/sub.out" 2>&1 &
subscribers+=($!)
redis-cli -p "${port}" psubscribe 'sport.*' >"${log_dir}/psub.out" 2>&1 &
subscribers+=($!)
until_reply 1 publish news "first"   # once the subscriber is in
until_reply 1 publish sport.tennis "ace"
expect 0 publish weather rain
expect $'news\n1' pubsub numsub news
for _ in $(seq 1 1000); do
  grep -qx first "${log_dir}/sub.out" && grep -qx ace "${log_dir}/psub.out" && break
  sleep 0.01
done
grep -qx first "${log_dir}/sub.out" || { echo "subscriber got: $(cat "${log_dir}/sub.out")" >&2; exit 1; }
grep -qx ace "${log_dir}/psub.out" || { echo "psubscriber got: $(cat "${log_dir}/psub.out")" >&2; exit 1; }
grep -qx pmessage "${log_dir}/psub.out" || { echo "no pmessage: $(cat "${log_dir}/psub.out")" >&2; exit 1; }
kill "${subscribers[@]}"
wait "${subscribers[@]}" 2>/dev/null || true
subscribers=()
until_reply 0 publish news "nobody left"
echo "redis-cli: every command answered"

# weft's own CLI, on the client library: what it prints, and its errors.
cli() { "${cli_bin}" --addr=127.0.0.1:"${port}" "$@"; }
expect_cli() {
  local want="$1"
  shift
  local got
  got=$(cli "$@" 2>&1) || true
  if [[ "${got}" != "${want}" ]]; then
    echo "cli $*: got '${got}', want '${want}'" >&2
    exit 1
  fi
}
expect_cli PONG ping
expect_cli '"hi"' ping hi
expect_cli OK set greeting hello
expect_cli '"hello"' get greeting
expect_cli "(nil)" get nope
expect_cli OK set brief x --expires_ms=100000
within 90 100 ttl brief
expect_cli "(integer) 1" incr counter
expect_cli "(integer) 2" del greeting counter
expect_cli "(error) ERR value is not an integer or out of range" incr brief  # as redis-cli prints it
"${cli_bin}" --addr=127.0.0.1:"${port}" subscribe alerts >"${log_dir}/cli.out" 2>&1 &
subscribers+=($!)
until_reply 1 publish alerts "disk full"
for _ in $(seq 1 1000); do
  grep -q "alerts: disk full" "${log_dir}/cli.out" && break
  sleep 0.01
done
grep -q "alerts: disk full" "${log_dir}/cli.out" || { echo "cli subscriber got: $(cat "${log_dir}/cli.out")" >&2; exit 1; }
kill "${subscribers[@]}"
wait "${subscribers[@]}" 2>/dev/null || true
subscribers=()
echo "cli: every command answered"

# The graceful stop: SIGTERM, the summary, exit 0.
kill -TERM "${server}"
wait "${server}"
grep -q "shut down" "${server_log}" || { cat "${server_log}"; exit 1; }
echo "stopped gracefully"
