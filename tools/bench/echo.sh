#!/usr/bin/env bash
# weft's echo example against the raw-epoll baseline, side by side.
#
#   tools/bench/echo.sh     # REPS=3 DURATION=3 SCENARIOS="conns size,..." to change
#
# The server runs pinned to core 0, the load tool (tools/echo_load, no weft
# inside) to core 1. Repetitions alternate baseline, weft, baseline, weft...
# so the machine's drift hits both; medians are reported. Per scenario and
# server: requests/s, p99 latency, the server's CPU time per request (from
# /proc/PID/stat, meaningful even when the load tool is the bottleneck);
# then system calls per request (a short run under strace -c) and resident
# memory per idle connection with 10,000 connections open.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPS=${REPS:-3}
DURATION=${DURATION:-3}
WARMUP=1
# WEFT_BAZEL_FLAGS=--config=gcc measures the g++ 12 build instead.
read -r -a flags <<<"${WEFT_BAZEL_FLAGS:-}"
tools/bazel build -c opt "${flags[@]}" //examples:echo //tools/echo_baseline \
  //tools/echo_load >/dev/null 2>&1
bin=bazel-bin
load=${bin}/tools/echo_load/echo_load
declare -A server_bin=([baseline]=${bin}/tools/echo_baseline/echo_baseline
                       [weft]=${bin}/examples/echo)
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need the room
hz=$(getconf CLK_TCK)

start_server() {  # name -> sets pid, port
  local log
  log=$(mktemp)
  taskset -c 0 "${server_bin[$1]}" --addr=127.0.0.1:0 >"${log}" 2>&1 &
  pid=$!
  for _ in $(seq 1 500); do
    grep -q 'listening on' "${log}" && break
    sleep 0.01
  done
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "${log}" | grep -o '[0-9]*$')
}
stop_server() { kill "${pid}" 2>/dev/null; wait "${pid}" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
field() { grep -o "$1=[0-9.]*" | cut -d= -f2; }

echo "| scenario | server | requests/s | p99 us | CPU us/request |"
echo "|---|---|---:|---:|---:|"
IFS=, read -r -a scenarios <<<"${SCENARIOS:-1 64,64 64,1024 64,64 16384}"
for scenario in "${scenarios[@]}"; do
  read -r conns size <<<"${scenario}"
  declare -A rps=() p99=() cpu=()
  for _ in $(seq 1 "${REPS}"); do
    for name in baseline weft; do
      start_server "${name}"
      before=$(cpu_ticks "${pid}")
      out=$(taskset -c 1 "${load}" --addr=127.0.0.1:"${port}" --conns="${conns}" \
        --size="${size}" --duration="${DURATION}s" --warmup="${WARMUP}s")
      after=$(cpu_ticks "${pid}")
      stop_server
      total=$(field total <<<"${out}")
      rps[${name}]+="$(field requests/s <<<"${out}") "
      p99[${name}]+="$(field p99_us <<<"${out}") "
      cpu[${name}]+="$(echo "scale=3; (${after} - ${before}) * 1000000 / ${hz} / ${total}" | bc) "
    done
  done
  for name in baseline weft; do
    printf '| %s conns, %s B | %s | %s | %s | %s |\n' "${conns}" "${size}" "${name}" \
      "$(tr ' ' '\n' <<<"${rps[${name}]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${p99[${name}]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${cpu[${name}]}" | grep . | median)"
  done
done

echo
echo "| server | syscalls/request (64 conns, 64 B) | RSS per idle connection (10,000) |"
echo "|---|---:|---:|"
for name in baseline weft; do
  start_server "${name}"
  trace=$(mktemp)
  timeout -s INT 3 strace -c -f -o "${trace}" -p "${pid}" 2>/dev/null &
  tracer=$!
  sleep 0.3
  out=$(taskset -c 1 "${load}" --addr=127.0.0.1:"${port}" --conns=64 --size=64 \
    --duration=2s --warmup=0s)
  wait "${tracer}" || true
  calls=$(awk '/total/ {print $4}' "${trace}")
  total=$(field total <<<"${out}")
  stop_server
  start_server "${name}"
  rss0=$(awk '/VmRSS/ {print $2}' "/proc/${pid}/status")
  idle_log=$(mktemp)
  taskset -c 1 "${load}" --addr=127.0.0.1:"${port}" --idle=10000 --size=64 \
    --duration=30s >"${idle_log}" 2>&1 &
  loader=$!
  for _ in $(seq 1 3000); do
    grep -q holding "${idle_log}" && break
    sleep 0.01
  done
  rss1=$(awk '/VmRSS/ {print $2}' "/proc/${pid}/status")
  kill "${loader}"; wait "${loader}" 2>/dev/null || true
  stop_server
  printf '| %s | %s | %s B |\n' "${name}" \
    "$(echo "scale=2; ${calls} / ${total}" | bc)" \
    "$(( (rss1 - rss0) * 1024 / 10000 ))"
done
