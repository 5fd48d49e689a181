#!/usr/bin/env bash
# Runs the benchmarks: ours (Orleans.Batch hosting API, Launcher `silo` role) against plain Orleans, in the same
# run. Builds everything in Release first, then writes benchmarks/results/latest.md and latest.json.
#
#   benchmarks/run.sh            the full set (15-20 minutes on a 2-core machine)
#   benchmarks/run.sh --quick    a reduced set (under 5 minutes on a 2-core machine)
#
# Any other argument goes to the harness (see benchmarks/README.md), e.g. --repetitions 3, --keep-logs.
# Exit status: 0 when every scenario completed and nothing the harness started is left running; 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "Building in Release..." >&2
dotnet build benchmarks/Orleans.Batch.Benchmarks/Orleans.Batch.Benchmarks.csproj -c Release --nologo -v quiet >&2

# Every process the harness starts inherits this marker; after the harness exits (however it exits), anything
# still carrying it is a leak. Only the harness gets it: build servers started above must not.
marker="$(cat /proc/sys/kernel/random/uuid)"
status=0
ORLEANS_BATCH_BENCH_MARKER="$marker" \
    benchmarks/Orleans.Batch.Benchmarks/bin/Release/net10.0/Orleans.Batch.Benchmarks "$@" || status=$?

leftovers=()
for environ in /proc/[0-9]*/environ; do
    pid="${environ#/proc/}"
    pid="${pid%/environ}"
    if grep -qaF "ORLEANS_BATCH_BENCH_MARKER=$marker" "$environ" 2>/dev/null; then
        leftovers+=("$pid")
    fi
done

if ((${#leftovers[@]} > 0)); then
    echo "FAILED: processes started by the benchmark harness are still running; killing them:" >&2
    for pid in "${leftovers[@]}"; do
        echo "  $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" >&2
        kill -9 "$pid" 2>/dev/null || true
    done
    exit 1
fi

exit "$status"
