#!/usr/bin/env bash
# Instructions per operation, weft against the floor, counted by callgrind
# (deterministic: the same binary and inputs give the same count).
#
#   tools/bench/runtime_callgrind.sh            # builds -c opt, prints a table
#
# Each job runs at two sizes, n and 2n; (I(2n) - I(n)) / n is the cost of
# one operation with start-up and tear-down cancelled out. Memory per parked
# task is measured from RSS in a process of its own (1,000,000 tasks).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# WEFT_BAZEL_FLAGS=--config=gcc measures the g++ 12 build instead.
read -r -a flags <<<"${WEFT_BAZEL_FLAGS:-}"
tools/bazel build -c opt "${flags[@]}" //tools/bench:runtime_bench >/dev/null 2>&1
bin=bazel-bin/tools/bench/runtime_bench
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null

instructions() {  # op n -> total instructions
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="${out}" "${bin}" \
    --op="$1" --n="$2" >/dev/null 2>&1
  grep -m1 '^summary:' "${out}" | awk '{print $2}'
  rm -f "${out}"
}

per_op() {  # op n
  local small large
  small=$(instructions "$1" "$2")
  large=$(instructions "$1" $(($2 * 2)))
  echo $(((large - small) / $2))
}

median_of_3() {  # op n: for the two-thread job, whose count depends on how
  # valgrind interleaves the threads (usually within 1%, once in a while 5%)
  { per_op "$1" "$2"; per_op "$1" "$2"; per_op "$1" "$2"; } | sort -n |
    sed -n 2p
}

printf '%-18s %12s %12s %8s\n' job floor weft ratio
for job in spawn_join_batch spawn_join_one yield_1 yield_100 ping_pong \
           remote_wake; do
  n=20000
  # The issue's batch is 100,000 tasks.
  [[ ${job} == spawn_join_batch ]] && n=100000
  [[ ${job} == remote_wake ]] && n=2000
  measure=per_op
  [[ ${job} == remote_wake ]] && measure=median_of_3
  f=$(${measure} "floor_${job}" "${n}")
  w=$(${measure} "weft_${job}" "${n}")
  printf '%-18s %12d %12d %7.2fx\n' "${job}" "${f}" "${w}" \
    "$(echo "scale=2; ${w} / ${f}" | bc)"
done
f=$("${bin}" --op=floor_parked_bytes --n=1000000)
w=$("${bin}" --op=weft_parked_bytes --n=1000000)
printf '%-18s %12s %12s %+7.0f B\n' "parked_bytes" "${f}" "${w}" \
  "$(echo "${w} - ${f}" | bc)"
# Informational: parked on a Notify, whose waiter node is in the frame.
w=$("${bin}" --op=weft_parked_on_notify_bytes --n=1000000)
printf '%-18s %12s %12s %+7.0f B\n' "parked_on_notify" "${f}" "${w}" \
  "$(echo "${w} - ${f}" | bc)"
