#!/usr/bin/env bash
# sync_vs_tokio.sh: weft's sync and composition benchmarks side by side with
# tokio 1.24's (../shared/bench/tokio_sync), in one run, as one table.
#
#   tools/bench/sync_vs_tokio.sh > table.md
#
# Builds both: //tools/bench:sync_bench (-c opt) and tokio_sync
# (cargo --release --offline, from a scratch copy of its directory, against
# Debian's librust-tokio-dev, installed here if missing). Then, for every
# row of tokio_sync's run.sh, the same N:
#   * wall time: RUNS rounds (default 5); each round runs every row once,
#     weft then tokio, pinned with taskset (CPU 0; mpsc_threads also 0,1);
#     the table gives the median ns/op of each and weft/tokio.
#   * instructions: callgrind Ir/op of each, (Ir(N2) - Ir(N1)) / (ops(N2) -
#     ops(N1)) with no warm-up pass, so start-up and teardown cancel out
#     (mpsc_threads: the median of TH_REPS runs; it depends on how valgrind
#     interleaves the threads).
#   * memory: mem's RSS growth per idle channel + parked task.
# Progress goes to stderr. Env: RUNS, TH_REPS, SKIP_CG=1, TOKIO_SYNC=dir.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUNS=${RUNS:-5}
TH_REPS=${TH_REPS:-3}
TOKIO_SRC=${TOKIO_SYNC:-$ROOT/../shared/bench/tokio_sync}
SCRATCH=${TMPDIR:-/tmp}/weft_sync_vs_tokio
log() { echo "[sync_vs_tokio] $(date +%T) $*" >&2; }
field() { sed -n "s/.*[ ]$1=\([0-9.-]*\).*/\1/p" <<<"$2"; }

# ------------------------------------------------------------------ build
if ! dpkg-query -W -f='${Status}' librust-tokio-dev 2>/dev/null | grep -q 'ok installed'; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "sync_vs_tokio: install tokio's sources as root: apt-get install librust-tokio-dev" >&2
    exit 1
  fi
  log "installing librust-tokio-dev (tokio 1.24 for cargo --offline)"
  apt-get install -y -qq --no-install-recommends librust-tokio-dev >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends librust-tokio-dev >&2; }
fi
command -v cargo >/dev/null || { echo "sync_vs_tokio: cargo not found" >&2; exit 1; }
for tool in taskset valgrind; do
  command -v "$tool" >/dev/null || { echo "sync_vs_tokio: $tool not found" >&2; exit 1; }
done

log "building weft (bazel -c opt //tools/bench:sync_bench: no debug info, which valgrind 3.19 cannot read from clang 19)"
tools/bazel build -c opt //tools/bench:sync_bench >&2
mkdir -p "$SCRATCH"
cp -f "$ROOT/bazel-bin/tools/bench/sync_bench" "$SCRATCH/sync_bench"
WEFT=$SCRATCH/sync_bench

log "building tokio_sync (cargo build --release --offline) in $SCRATCH/tokio_sync"
rm -rf "$SCRATCH/tokio_sync"
cp -r "$TOKIO_SRC" "$SCRATCH/tokio_sync"
chmod -R u+w "$SCRATCH/tokio_sync"
(cd "$SCRATCH/tokio_sync" && cargo build --release --offline -q) >&2
TOKIO=$SCRATCH/tokio_sync/target/release/tokio_sync

# row                bench                n(timed)  cpus  N1      N2
ROWS="
oneshot              oneshot              1000000   0     20000   40000
mpsc_unbounded       mpsc_unbounded       2000000   0     50000   100000
mpsc_bounded         mpsc_bounded         4000000   0     50000   100000
mpsc_bounded_cap1    mpsc_bounded_cap1    1000000   0     20000   40000
mpsc_threads_1cpu    mpsc_threads         1000000   0     20000   40000
mpsc_threads_2cpu    mpsc_threads         1000000   0,1   -       -
broadcast            broadcast            20000     0     500     1000
watch                watch                500000    0     20000   40000
mutex_uncontended    mutex_uncontended    5000000   0     100000  200000
mutex_contended      mutex_contended      500000    0     20000   40000
semaphore            semaphore            5000000   0     100000  200000
semaphore_contended  semaphore_contended  1000000   0     20000   40000
joinset              joinset              100000    0     20000   40000
select               select               1000000   0     20000   40000
select_ready_first   select_ready_first   1000000   0     20000   40000
select_sleep_first   select_sleep_first   1000000   0     20000   40000
mem                  mem                  100000    0     20000   40000
"
RAW=$SCRATCH/raw.txt
: >"$RAW"

# ------------------------------------------------------------------ wall time
for r in $(seq "$RUNS"); do
  log "timing round $r/$RUNS (load $(cut -d' ' -f1 /proc/loadavg))"
  while read -r row bench n cpus _; do
    [[ -z $row ]] && continue
    for impl in weft tokio; do
      bin=$WEFT
      [[ $impl == tokio ]] && bin=$TOKIO
      line=$(taskset -c "$cpus" "$bin" "$bench" "$n")
      echo "T $impl $row $(field ns_per_op "$line")" >>"$RAW"
      if [[ $line == *bytes_per_task=* ]]; then
        echo "B $impl $row $(field bytes_per_task "$line")" >>"$RAW"
      fi
    done
  done <<<"$ROWS"
done

# ------------------------------------------------------------------ callgrind
ir_total() { # bin bench n -> "Ir ops"
  local out
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 0 2>&1)
  echo "$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out") $(field ops "$out")"
}

if [[ -z ${SKIP_CG:-} ]]; then
  while read -r row bench _ _ n1 n2; do
    [[ -z $row || $n1 == - ]] && continue
    reps=1
    [[ $bench == mpsc_threads ]] && reps=$TH_REPS
    for impl in weft tokio; do
      bin=$WEFT
      [[ $impl == tokio ]] && bin=$TOKIO
      log "Ir $impl $row (N=$n1,$n2 x$reps)"
      vals=()
      for _ in $(seq "$reps"); do
        read -r a oa <<<"$(ir_total "$bin" "$bench" "$n1")"
        read -r b ob <<<"$(ir_total "$bin" "$bench" "$n2")"
        vals+=("$(awk -v a="$a" -v b="$b" -v x="$oa" -v y="$ob" 'BEGIN { printf "%.1f", (b - a) / (y - x) }')")
      done
      echo "I $impl $row $(printf '%s\n' "${vals[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")" >>"$RAW"
    done
  done <<<"$ROWS"
fi

# ------------------------------------------------------------------ report
python3 - "$RAW" "$RUNS" <<'EOF'
import collections, statistics, sys
T = collections.defaultdict(list); B = collections.defaultdict(list); I = {}
for line in open(sys.argv[1]):
    k, impl, row, v = line.split()
    if k == "T": T[impl, row].append(float(v))
    elif k == "B": B[impl, row].append(float(v))
    elif k == "I": I[impl, row] = float(v)

def fmt(x):
    return f"{x:,.0f}" if x >= 100 else (f"{x:.1f}" if x >= 10 else f"{x:.2f}")

rows = []
for row in dict.fromkeys(r for _, r in T):
    rows.append(row)
print("| benchmark | weft ns/op | tokio ns/op | weft/tokio | weft Ir/op | tokio Ir/op | weft/tokio |")
print("|---|---|---|---|---|---|---|")
for row in rows:
    w, t = statistics.median(T["weft", row]), statistics.median(T["tokio", row])
    cells = [row, fmt(w), fmt(t), f"{w / t:.2f}x"]
    if ("weft", row) in I and ("tokio", row) in I:
        iw, it = I["weft", row], I["tokio", row]
        cells += [fmt(iw), fmt(it), f"{iw / it:.2f}x"]
    else:
        cells += ["—", "—", "—"]
    print("| " + " | ".join(cells) + " |")
if B:
    w = statistics.median(B["weft", "mem"]); t = statistics.median(B["tokio", "mem"])
    print()
    print(f"mem: RSS per idle bounded channel (16) + task parked in its Recv: "
          f"weft {w:,.0f} B, tokio {t:,.0f} B ({w / t:.2f}x).")
print()
print(f"Median of {sys.argv[2]} interleaved runs each (weft, then tokio, per row), "
      "pinned with taskset -c 0 (mpsc_threads_2cpu: 0,1). Ir/op: callgrind, "
      "whole process, (Ir(N2) - Ir(N1)) / (ops(N2) - ops(N1)), no warm-up.")
EOF
