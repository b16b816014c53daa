#!/usr/bin/env bash
# The GPU backend on a real device, in one command, on a machine with an NVIDIA GPU, its driver, a
# JDK 17+ and nothing else (no Maven, no network).
#
#   gpu/device-check.sh build    here, with Maven: builds the jar set into gpu/target/device-check
#                                (this module, its tests, their dependencies, the JUnit console
#                                launcher; under 64 MiB) and says its size.
#   gpu/device-check.sh [run]    on the GPU machine, from the repository root with
#                                gpu/target/device-check carried there: runs
#                                  1. the gpu-tagged tests against the real driver (backend
#                                     contract, golden signals GPU vs CPU, staging, and golden
#                                     signals end to end on an embedded broker with
#                                     spate.gpu.enabled = on),
#                                  2. spate gpu info,
#                                  3. spate gpu bench --workload all: every seed workload (golden
#                                     signals over CLF/TSV/CSV/JSON, JSON word count, the MLP, MF
#                                     top-10) on the GPU backend (host-to-device copy included) and
#                                     on the CPU backend, the same batch,
#                                then prints one summary table. Exit 0 when everything passed.
#
# With the `device` tool: `gpu/device-check.sh build` here, then
#   run(command="bash gpu/device-check.sh", carry=["gpu/target/device-check"], timeout_s=420)
# A stand-in result is never a GPU result: if the driver found is Spate's CUDA driver stand-in
# (LD_LIBRARY_PATH=gpu/target/cuda-standin), the table says so on every line that measures.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUNDLE="${SPATE_DEVICE_CHECK_DIR:-$HERE/target/device-check}"
MODE="${1:-run}"

if [ "$MODE" = build ]; then
  set -e
  (cd "$HERE/.." && mvn -B -q -Pdevice-check -pl gpu -am package -DskipTests)
  cp "$HERE"/target/spate-gpu-*.jar "$BUNDLE/lib/"
  SIZE=$(du -cb "$BUNDLE" | tail -1 | cut -f1)
  echo "device-check: $BUNDLE holds $(ls "$BUNDLE/lib" | wc -l) jars, $((SIZE / 1048576)) MiB"
  if [ "$SIZE" -gt $((60 * 1048576)) ]; then
    echo "device-check: over 60 MiB: with the repository it may not fit the 64 MiB a device run carries" >&2
    exit 1
  fi
  exit 0
fi
if [ "$MODE" != run ]; then
  echo "usage: gpu/device-check.sh [build|run]" >&2
  exit 2
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "device-check: no java on the PATH (nor JAVA_HOME): a JDK 17+ is needed" >&2
  exit 2
fi
if [ ! -f "$BUNDLE/junit-console.jar" ] || ! ls "$BUNDLE"/lib/spate-gpu-*-tests.jar >/dev/null 2>&1; then
  echo "device-check: no jar set in $BUNDLE: run 'gpu/device-check.sh build' where Maven is, and carry that folder" >&2
  exit 2
fi
OUT="$(mktemp -d)"
CP="$BUNDLE/lib/*"

STARTED=$(date +%s)

echo "== 1. gpu-tagged tests against the driver found here"
timeout 150 "$JAVA" -Xmx8g -cp "$BUNDLE/junit-console.jar:$CP" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --details=tree --select-package io.spate.gpu.internal --include-tag gpu --exclude-tag fault \
  --include-classname '.*' 2>&1 | tee "$OUT/tests.log"
TESTS_RC=${PIPESTATUS[0]}
count() { grep -E "tests $1 " "$OUT/tests.log" | tail -1 | grep -oE '[0-9]+' | head -1; }
PASSED=$(count successful); FAILED=$(count failed); SKIPPED=$(count skipped); ABORTED=$(count aborted)
E2E=$(grep -E "GPU backend \(on a real device or the CUDA driver stand-in\)|shouldSumTheDeviceComputedGoldenSignals" "$OUT/tests.log" | grep -oE '✔|✘|↷' | tail -1)
case "$E2E" in ✔) E2E=passed ;; ✘) E2E=FAILED ;; ↷) E2E=skipped ;; *) E2E="not run" ;; esac

echo "== 2. spate gpu info"
timeout 60 "$JAVA" -cp "$CP" io.spate.cli.SpateCli gpu info 2>&1 | tee "$OUT/info.log"
INFO_RC=${PIPESTATUS[0]}
DEVICE=$(grep -E '^device 0:' "$OUT/info.log" | head -1 | sed 's/^device 0: //')
STANDIN=$(grep -c "stand-in" "$OUT/info.log")

echo "== 3. spate gpu bench --workload all (every seed workload, same batch on both backends)"
timeout 200 "$JAVA" -Xmx8g -cp "$CP" io.spate.cli.SpateCli gpu bench --workload all --repeat 5 2>&1 | tee "$OUT/bench.log"
BENCH_RC=${PIPESTATUS[0]}

LABEL=""
[ "${STANDIN:-0}" -gt 0 ] && LABEL=" (CUDA driver STAND-IN on the host CPU: not a GPU figure)"
echo
echo "== device-check summary ($(( $(date +%s) - STARTED )) s)"
echo "| what | result |"
echo "| --- | --- |"
echo "| device | ${DEVICE:-none found}${LABEL} |"
echo "| gpu-tagged tests | ${PASSED:-0} passed, ${FAILED:-0} failed, ${SKIPPED:-0} skipped, ${ABORTED:-0} aborted |"
echo "| golden signals end to end, embedded broker, spate.gpu.enabled = on | ${E2E} |"
echo
echo "gpu bench: best of 5 runs per backend, H2D copy from pinned memory included on the GPU backend${LABEL}"
echo "| workload | batch | GPU records/s | GPU GB/s | CPU records/s | CPU GB/s | GPU / CPU |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for w in golden-clf golden-tsv golden-csv golden-json word-count-json higgs recommend; do
  batch=$(grep -E "^$w batch:" "$OUT/bench.log" | head -1 | sed "s/^$w batch: //")
  gpu=$(grep -E "^$w gpu" "$OUT/bench.log" | head -1)
  cpu=$(grep -E "^$w cpu:" "$OUT/bench.log" | head -1)
  gr=$(echo "$gpu" | grep -oE '[0-9,]+ records/s' | tr -d ',' | cut -d' ' -f1)
  cr=$(echo "$cpu" | grep -oE '[0-9,]+ records/s' | tr -d ',' | cut -d' ' -f1)
  ratio="-"
  [ -n "$gr" ] && [ -n "$cr" ] && [ "$cr" -gt 0 ] && ratio=$(awk -v g="$gr" -v c="$cr" 'BEGIN { printf "%.1fx", g / c }')
  echo "| $w | ${batch:-not run} | ${gr:-not measured} | $(echo "$gpu" | grep -oE '[0-9.]+ GB/s' | head -1) | ${cr:-not measured} | $(echo "$cpu" | grep -oE '[0-9.]+ GB/s' | head -1) | $ratio |"
done
rm -rf "$OUT"
[ "$TESTS_RC" -eq 0 ] && [ "$INFO_RC" -eq 0 ] && [ "$BENCH_RC" -eq 0 ] && [ "${FAILED:-0}" -eq 0 ] && [ "${PASSED:-0}" -gt 0 ]
