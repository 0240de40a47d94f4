#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything and
# runs every test (lit, unit, build-split checks) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -G Ninja -B build -S . -DCMAKE_BUILD_TYPE=Release
cmake --build build
ctest --test-dir build --output-on-failure
