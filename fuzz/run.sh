#!/usr/bin/env bash
# Run the fuzz targets one after another, each for SECONDS (default 600), on stable
# (`-s none`, no sanitizer) unless SANITIZER is set (e.g. SANITIZER=address with nightly:
# `TOOLCHAIN=+nightly SANITIZER=address fuzz/run.sh`). The committed seeds are copied into
# fuzz/corpus/<target>/ (not committed), where libFuzzer grows the corpus; crashes land in
# fuzz/artifacts/<target>/. Logs go to fuzz/logs/<target>-<sanitizer>.log.
#
#   fuzz/run.sh                    # every target, 10 minutes each
#   SECONDS_PER_TARGET=60 fuzz/run.sh pack evaluate
set -euo pipefail
cd "$(dirname "$0")"
secs=${SECONDS_PER_TARGET:-600}
toolchain=${TOOLCHAIN:-}
sanitizer=${SANITIZER:-none}
# A sanitizer build goes to its own target dir, so it does not overwrite the stable build.
if [ "$sanitizer" = none ]; then target_dir=target; else target_dir="target-$sanitizer"; fi
# Fork mode (FORK=1, the default) keeps fuzzing after a crash, so one known bug does not end
# the run; every crash is still written to artifacts/<target>/. FORK=0 stops at the first one.
if [ "${FORK:-1}" = 1 ]; then
  fork_flags="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
else
  fork_flags=""
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(load_bytes load_docx report_model pack pack_splice evaluate pdf_rebuild)
fi
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ -d "seeds/$t" ]; then cp -n "seeds/$t"/* "corpus/$t/" 2>/dev/null || true; fi
  echo "== $t: ${secs}s ($(date -u +%H:%M:%S))"
  # stdin from /dev/null: a pack's `extends` can name a path, and nothing may wait on a terminal.
  cargo $toolchain fuzz run -s "$sanitizer" -a --target-dir "$target_dir" "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    ${fork_flags} \
    </dev/null >"logs/$t-$sanitizer.log" 2>&1 || echo "   $t stopped with a finding: see logs/$t-$sanitizer.log and artifacts/$t/"
  grep -E '^#[0-9]+' "logs/$t-$sanitizer.log" | tail -1 || true
done
