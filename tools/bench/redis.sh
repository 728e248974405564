#!/usr/bin/env bash
# mini-redis against redis-server, under the real redis-benchmark (#18).
#
#   tools/bench/redis.sh     # REPS=3 CLIENTS=50 N1=200000 N16=2000000
#
# Servers are pinned to core 0, redis-benchmark to core 1. Each repetition
# starts each server afresh, alternating redis-server and mini-redis so the
# machine's drift hits both, and runs SET then GET (GET finds SET's key),
# at -P 1 and at -P 16 (16 requests in flight per client). Reported, as
# medians: requests/s (redis-benchmark's), and the server's CPU time per
# request (from /proc/PID/stat before and after), each also as a ratio
# mini-redis / redis-server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPS=${REPS:-3}
CLIENTS=${CLIENTS:-50}
declare -A requests=([1]=${N1:-200000} [16]=${N16:-2000000})
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null || {
  echo "redis-server and redis-benchmark are needed: apt-get install redis-server redis-tools" >&2
  exit 1
}
tools/bazel build -c opt //examples/mini_redis:server >/dev/null 2>&1
mini_redis=bazel-bin/examples/mini_redis/server
hz=$(getconf CLK_TCK)
port=16379

start_server() {  # name -> sets pid
  if [[ $1 == redis ]]; then
    taskset -c 0 redis-server --port "${port}" --save '' --appendonly no \
      --daemonize no --logfile /dev/null &
  else
    taskset -c 0 "${mini_redis}" --addr=127.0.0.1:"${port}" >/dev/null &
  fi
  pid=$!
  for _ in $(seq 1 500); do
    redis-cli -p "${port}" ping >/dev/null 2>&1 && return
    sleep 0.01
  done
  echo "$1 did not start" >&2
  exit 1
}
stop_server() { kill "${pid}" 2>/dev/null; wait "${pid}" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

declare -A rps=() cpu=()
for _ in $(seq 1 "${REPS}"); do
  for name in redis mini; do
    start_server "${name}"
    for pipeline in 1 16; do
      for test in set get; do
        n=${requests[${pipeline}]}
        before=$(cpu_ticks "${pid}")
        out=$(taskset -c 1 redis-benchmark -p "${port}" -c "${CLIENTS}" \
          -n "${n}" -P "${pipeline}" -t "${test}" --csv 2>&1)
        after=$(cpu_ticks "${pid}")
        if grep -qi error <<<"${out}"; then
          echo "${name} ${test} -P ${pipeline}: ${out}" >&2
          exit 1
        fi
        key="${test} ${pipeline} ${name}"
        rps[${key}]+="$(grep -i "^\"${test}\"" <<<"${out}" | cut -d'"' -f4) "
        cpu[${key}]+="$(echo "scale=4; (${after} - ${before}) * 1000000 / ${hz} / ${n}" | bc) "
      done
    done
    stop_server
  done
done

m() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo "| test | pipeline | redis-server rps | mini-redis rps | rps ratio | redis-server CPU us/req | mini-redis CPU us/req | CPU ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for pipeline in 1 16; do
  for test in set get; do
    r_rps=$(m "${rps[${test} ${pipeline} redis]}")
    w_rps=$(m "${rps[${test} ${pipeline} mini]}")
    r_cpu=$(m "${cpu[${test} ${pipeline} redis]}")
    w_cpu=$(m "${cpu[${test} ${pipeline} mini]}")
    printf '| %s | -P %s | %.0f | %.0f | %.2fx | %.3f | %.3f | %.2fx |\n' \
      "${test^^}" "${pipeline}" "${r_rps}" "${w_rps}" \
      "$(echo "scale=4; ${w_rps} / ${r_rps}" | bc)" "${r_cpu}" "${w_cpu}" \
      "$(echo "scale=4; ${w_cpu} / ${r_cpu}" | bc)"
  done
done
