#!/usr/bin/env bash
# End-to-end benchmark of the auditor CLI against ripgrep on generated corpora.
#
#   scripts/bench.sh                 # corpora of 1,000 and 10,000 reports
#   BENCH_FULL=1 scripts/bench.sh    # and 100,000
#
# Environment:
#   BENCH_SIZES   corpus sizes to run (default "1000 10000"; BENCH_FULL=1 appends 100000)
#   BENCH_RUNS    runs per command; the median is reported (default 3)
#   BENCH_SEED    seed for examples/gen_corpus.rs (default 42)
#   BENCH_DIR     where the corpora go (default: a new temporary directory, removed at the end)
#   BENCH_KEEP=1  keep BENCH_DIR afterwards
#   BENCH_OUT     also write the Markdown results to this file
#
# For every corpus it times, BENCH_RUNS times each, with /usr/bin/time -v:
#   auditor --format json DIR > /dev/null
#   auditor --summary DIR > /dev/null
#   auditor --rules benches/floor.toml --format json DIR > /dev/null
#                                         (one rule: the pipeline's cost without the rules)
#   rg -c -f PATTERNS DIR > /dev/null     (PATTERNS = `auditor rules patterns 2021`)
# and reports the median wall time, the throughput in MB/s (10^6 bytes of input per second),
# the median CPU time (user + sys, steadier than wall time on a busy machine), the largest peak
# RSS of the runs, and each auditor time as a multiple of ripgrep's (wall and CPU). Then it
# times one small report end to end (`auditor samples/complete.txt`) with hyperfine, or with a
# loop when hyperfine is missing. The page cache is warmed before each corpus is measured.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-42}
sizes=${BENCH_SIZES:-"1000 10000"}
if [ "${BENCH_FULL:-0}" = 1 ]; then
    sizes="$sizes 100000"
fi

say() { printf '%s\n' "$*" >&2; }

# ---- tools -------------------------------------------------------------------------------------

have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
    if have apt-get && [ "$(id -u)" = 0 ]; then
        say "installing $* with apt-get"
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || true
    fi
}

if [ ! -x /usr/bin/time ]; then
    apt_install time
fi
if [ ! -x /usr/bin/time ]; then
    say "error: /usr/bin/time is needed (Debian: apt-get install time)"
    exit 2
fi

RG=${RG:-}
if [ -z "$RG" ]; then
    if have rg; then
        RG=$(command -v rg)
    else
        apt_install ripgrep
        if have rg; then
            RG=$(command -v rg)
        else
            say "installing ripgrep with cargo into target/bench-tools"
            cargo install --quiet ripgrep --root "$root/target/bench-tools"
            RG="$root/target/bench-tools/bin/rg"
        fi
    fi
fi

if ! have hyperfine; then
    apt_install hyperfine
fi

# ---- build -------------------------------------------------------------------------------------

say "building release binaries"
cargo build --release --quiet --bin auditor --example gen_corpus
bin="$root/target/release/auditor"
gen="$root/target/release/examples/gen_corpus"

work=${BENCH_DIR:-}
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/auditor-bench.XXXXXX")
    [ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
patterns="$work/patterns.txt"
"$bin" rules patterns 2021 >"$patterns"

# ---- measuring ---------------------------------------------------------------------------------

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maximum() { sort -g | tail -n 1; }

# measure NAME CMD...: run CMD `runs` times with stdout to /dev/null; sets WALL (median seconds)
# and RSS (largest peak resident set, in MB). The exit status of CMD is not judged (auditor
# exits 1 when a report has an error gap).
measure() {
    local name=$1
    shift
    local walls=() cpus=() rsss=() i out
    for ((i = 1; i <= runs; i++)); do
        out="$work/time.$name.$i"
        /usr/bin/time -v -o "$out" "$@" >/dev/null 2>"$work/stderr.$name" || true
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$out")")
        cpus+=("$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s + 0 }' "$out")")
        rsss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")")
    done
    WALL=$(printf '%s\n' "${walls[@]}" | median)
    CPU=$(printf '%s\n' "${cpus[@]}" | median)
    RSS=$(printf '%s\n' "${rsss[@]}" | maximum | awk '{ printf "%.1f", $1 / 1024 }')
    say "  $name: wall ${walls[*]} s (median $WALL), CPU ${cpus[*]} s (median $CPU), peak RSS $RSS MB"
}

results="$work/results.md"
{
    echo "| reports | input MiB | command | median wall s | MB/s | median CPU s (user+sys) | peak RSS MB | × rg (wall) | × rg (CPU) |"
    echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|"
} >"$results"

row() { # reports MiB command wall cpu bytes rss rg_wall rg_cpu
    awk -v n="$1" -v mib="$2" -v cmd="$3" -v w="$4" -v c="$5" -v b="$6" -v r="$7" -v gw="$8" -v gc="$9" \
        'BEGIN { printf "| %d | %.1f | `%s` | %.2f | %.1f | %.2f | %s | %.2f | %.2f |\n", n, mib, cmd, w, (w > 0 ? b / 1e6 / w : 0), c, r, (gw > 0 ? w / gw : 0), (gc > 0 ? c / gc : 0) }' >>"$results"
}

say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
say "ripgrep: $("$RG" --version | sed -n 1p); runs per command: $runs"

for n in $sizes; do
    dir="$work/corpus-$n"
    if [ ! -d "$dir" ]; then
        say "generating $n reports"
        "$gen" "$dir" "$n" "$seed" >"$work/gen-$n.txt"
    fi
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    files=$(find "$dir" -type f | wc -l)
    mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    say "corpus $n: $files files, $mib MiB"
    # Warm the page cache so that every command reads from memory.
    "$RG" -c -f "$patterns" "$dir" >/dev/null 2>&1 || true

    say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    measure "rg-$n" "$RG" -c -f "$patterns" "$dir"
    rg_wall=$WALL rg_cpu=$CPU rg_rss=$RSS
    measure "json-$n" "$bin" --format json "$dir"
    json_wall=$WALL json_cpu=$CPU json_rss=$RSS
    measure "summary-$n" "$bin" --summary "$dir"
    summary_wall=$WALL summary_cpu=$CPU summary_rss=$RSS
    measure "floor-$n" "$bin" --rules "$root/benches/floor.toml" --format json "$dir"
    floor_wall=$WALL floor_cpu=$CPU floor_rss=$RSS
    say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

    row "$n" "$mib" "auditor --format json" "$json_wall" "$json_cpu" "$bytes" "$json_rss" "$rg_wall" "$rg_cpu"
    row "$n" "$mib" "auditor --summary" "$summary_wall" "$summary_cpu" "$bytes" "$summary_rss" "$rg_wall" "$rg_cpu"
    row "$n" "$mib" "auditor --rules benches/floor.toml --format json" "$floor_wall" "$floor_cpu" "$bytes" "$floor_rss" "$rg_wall" "$rg_cpu"
    row "$n" "$mib" "rg -c -f patterns.txt" "$rg_wall" "$rg_cpu" "$bytes" "$rg_rss" "$rg_wall" "$rg_cpu"
    if [ "${BENCH_KEEP:-0}" != 1 ] && [ -z "${BENCH_DIR:-}" ]; then
        rm -rf "$dir"
    fi
done

# ---- one small report --------------------------------------------------------------------------

single="samples/complete.txt"
echo >>"$results"
if have hyperfine; then
    hyperfine -N -i --warmup 5 --runs 50 --export-json "$work/single.json" "$bin $single" >&2 || true
    awk -F': ' -v f="$single" '
        /"(mean|stddev|median|min|max)":/ { k = $1; gsub(/[ "]/, "", k); v = $2; gsub(/[ ,]/, "", v); x[k] = v * 1000 }
        END { printf "single report (`auditor %s`, hyperfine, 50 runs): median %.1f ms, mean %.1f ± %.1f ms, min %.1f ms, max %.1f ms\n", f, x["median"], x["mean"], x["stddev"], x["min"], x["max"] }' \
        "$work/single.json" >>"$results"
else
    times=()
    for ((i = 0; i < 50; i++)); do
        t0=$(date +%s%N)
        "$bin" "$single" >/dev/null || true
        t1=$(date +%s%N)
        times+=("$(((t1 - t0) / 1000))")
    done
    med=$(printf '%s\n' "${times[@]}" | median)
    echo "single report (\`auditor $single\`, 50 runs in a loop): median $(awk -v m="$med" 'BEGIN { printf "%.1f", m / 1000 }') ms" >>"$results"
fi

cat "$results"
if [ -n "${BENCH_OUT:-}" ]; then
    cp "$results" "$BENCH_OUT"
fi
