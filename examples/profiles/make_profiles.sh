#!/usr/bin/env bash
# Writes the backward-time profiles of bench/e2e into examples/profiles/:
# MODEL.h100-roofline.mlir for ResNet-20 (batch 128), ResNet-50 and VGG-16
# (batch 32). The models come from examples/models/make_models.py; each is
# imported on the CPU at batch 2 with 2 profiled iterations (order, FLOPs,
# gradient sketches), then roofline_profile.py scales the FLOPs to the batch
# and sets H100 roofline times. No GPU measured them: a session with the lent
# GPU should replace them with agtf-import --device cuda profiles.
# Usage: examples/profiles/make_profiles.sh [BUILD_DIR] (default build)
# Takes about 10 minutes on the 2-core machine (VGG-16's import is most).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in resnet20:128:32 resnet50:32:224 vgg16:32:224; do
  IFS=: read -r model batch size <<<"$spec"
  /usr/bin/python3 examples/models/make_models.py "$work" "$model"
  "$build/bin/agtf-import" "$work/$model.pt" --input-shape "2x3x${size}x${size}" \
    --profile-iters 2 -o "$work/$model.mlir"
  /usr/bin/python3 examples/profiles/roofline_profile.py "$work/$model.mlir" \
    2 "$batch" H100 "examples/profiles/$model.h100-roofline.mlir"
  rm -f "$work/$model.pt"
  echo "wrote examples/profiles/$model.h100-roofline.mlir"
done
