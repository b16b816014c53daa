#!/usr/bin/env bash
# Builds spate-kernels.fatbin from the sources here when they changed: sm_80 and sm_90 cubins plus
# compute_90 PTX (for newer GPUs, JIT-compiled by the driver), no relocatable device code.
# Usage: build-kernels.sh NVCC OUT_DIR. Writes OUT_DIR/spate-kernels.fatbin and
# OUT_DIR/spate-kernels.sha256 (the SHA-256 of the sources, concatenated in name order).
set -euo pipefail
NVCC="$1"
OUT="$2"
cd "$(dirname "$0")"
HASH="$(cat $(ls *.cu *.cuh | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)"
if [ -f "$OUT/spate-kernels.fatbin" ] && [ "$(cat "$OUT/spate-kernels.sha256" 2>/dev/null)" = "$HASH" ]; then
  exit 0
fi
"$NVCC" -fatbin -O3 \
  -gencode arch=compute_80,code=sm_80 \
  -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_90,code=compute_90 \
  -o "$OUT/spate-kernels.fatbin" kernels.cu
echo "$HASH" > "$OUT/spate-kernels.sha256"
echo "spate: built $OUT/spate-kernels.fatbin ($HASH)"
