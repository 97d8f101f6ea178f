#!/bin/sh
# Cold start (empty PoCL and monoflow kernel caches) and warm start (caches filled) to the
# first finished forward/backward pass. usage: bench/start_time.sh build/monoflow-bench-mlp
set -eu
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== cold (empty caches)"
POCL_CACHE_DIR="$tmp/pocl" MONOFLOW_CACHE_DIR="$tmp/mf" "$bin" --passes 20 | grep -E "program|first"
echo "== warm"
POCL_CACHE_DIR="$tmp/pocl" MONOFLOW_CACHE_DIR="$tmp/mf" "$bin" --passes 20 | grep -E "program|first"
