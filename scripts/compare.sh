#!/usr/bin/env bash
# Compare two auditor binaries on the same arguments, in interleaved runs.
#
#   scripts/compare.sh OLD NEW [RUNS] -- ARGS...
#   scripts/compare.sh /tmp/auditor-before target/release/auditor 200 -- samples/complete.txt
#   COMPARE_INSTRUCTIONS=1 scripts/compare.sh OLD NEW 3 -- -j1 --format json DIR
#
# This machine's speed moves by up to a third within minutes, so two binaries timed one after
# the other can differ by more than the change being measured. Here the runs alternate
# (OLD NEW, then NEW OLD, ...), so that both see the same drift. The script prints:
#   - whether the two binaries write the same bytes for ARGS (every change for speed is meant to
#     keep the output identical; a difference is reported, not an error);
#   - for each binary, the median, mean and quartiles of the wall time of RUNS runs (default 100);
#   - with COMPARE_INSTRUCTIONS=1 and valgrind installed, the instructions each executes
#     (callgrind, one run each): they do not depend on the load, so they tell small changes apart.
#     Run a batch with -j1 for a deterministic count.
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
old=$1
new=$2
shift 2
runs=100
if [ "$1" != "--" ]; then
    runs=$1
    shift
fi
if [ "${1:-}" != "--" ]; then
    echo "error: put -- before the auditor's arguments" >&2
    exit 2
fi
shift
for bin in "$old" "$new"; do
    if [ ! -x "$bin" ]; then
        echo "error: $bin is not an executable file" >&2
        exit 2
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Same output?
"$old" "$@" >"$tmp/old.out" 2>/dev/null || true
"$new" "$@" >"$tmp/new.out" 2>/dev/null || true
if cmp -s "$tmp/old.out" "$tmp/new.out"; then
    echo "output: identical ($(wc -c <"$tmp/old.out") bytes)"
else
    echo "output: DIFFERS ($(diff "$tmp/old.out" "$tmp/new.out" | grep -c '^[<>]') lines)"
fi

# Interleaved wall times, in ms, from bash's own clock (no process started to read it).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
for ((i = 0; i < runs; i++)); do
    if ((i % 2 == 0)); then order=("$old" "$new"); else order=("$new" "$old"); fi
    for bin in "${order[@]}"; do
        start=$(now_us)
        "$bin" "$@" >/dev/null 2>&1 || true
        end=$(now_us)
        if [ "$bin" = "$old" ]; then f=old; else f=new; fi
        echo "$(((end - start)))" >>"$tmp/$f.times"
    done
done
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 / 1000; s += v[NR] }
        END { printf "median %.2f ms, mean %.2f ms, quartiles %.2f–%.2f ms (%d runs)\n",
              (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), s / NR,
              v[int(NR / 4) + 1], v[int(3 * NR / 4) + 1], NR }'
}
echo "old $old: $(stats "$tmp/old.times")"
echo "new $new: $(stats "$tmp/new.times")"

if [ "${COMPARE_INSTRUCTIONS:-0}" = 1 ]; then
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "instructions: valgrind is not installed (Debian: apt-get install valgrind)" >&2
    else
        for f in old new; do
            if [ $f = old ]; then bin=$old; else bin=$new; fi
            # The auditor exits 1 when it finds gaps: not a failure here.
            ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 >/dev/null |
                awk '/Collected/ { print $NF }') || true
            echo "$f instructions: $ir"
        done
    fi
fi
