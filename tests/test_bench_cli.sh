#!/bin/sh
# `monoflow bench` and `monoflow tune` from the command line: bad input gets one line and a
# non-zero exit before any work; a small bench run writes JSON and CSV that hold its numbers
# and compares against itself; tune with a tiny budget keeps CLBlast's defaults.
# Usage: test_bench_cli.sh path/to/monoflow
mf="$1"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MONOFLOW_CACHE_DIR="$tmp/cache" # no tuning file of the user's applies here

. "$(dirname "$0")/cli_expect.sh" # expect CODE NEEDLE -- command...

check() { # DESCRIPTION -- command...: succeeds
  what="$1"; shift 2
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}

expect 2 "--config wants toy, image or all, got 'huge'" -- "$mf" bench --config huge
expect 2 "--iters wants a whole number from 1 to 100000, got '0'" -- "$mf" bench --iters 0
expect 2 "--repeats wants a whole number from 1 to 64, got 'x'" -- "$mf" bench --repeats x
expect 2 "unknown flag '--fast' for bench" -- "$mf" bench --fast
expect 2 "--compare: cannot read '$tmp/none.json'" -- "$mf" bench --compare "$tmp/none.json"
expect 2 "--json: cannot write '$tmp/no/dir/r.json'" -- "$mf" bench --json "$tmp/no/dir/r.json"
expect 1 "no OpenCL device matches 'no-such-device'" -- "$mf" bench --device no-such-device
expect 2 "--budget wants seconds from 1 to 86400, got '0'" -- "$mf" tune --budget 0
expect 2 "--config wants toy, image or all, got 'x'" -- "$mf" tune --config x
expect 2 "unknown flag '--fast' for tune" -- "$mf" tune --fast

# a small real run on the default device
small="--config toy --iters 2 --repeats 3 --warmup 1 --no-start"
# shellcheck disable=SC2086
"$mf" bench $small --python /bin/false --json "$tmp/r.json" --csv "$tmp/r.csv" \
  >"$tmp/bench.out" 2>"$tmp/bench.err"
check "bench exits 0" -- [ $? -eq 0 ]
for row in "toy    one-step" "toy    fit        1" "toy    fit        5" "toy    flow"; do
  check "the table has '$row'" -- grep -qF "$row" "$tmp/bench.out"
done
check "GEMM rows name their products" -- grep -qF "D fwd 512, 256->256 (D step)" "$tmp/bench.out"
check "PyTorch skipped, with the package to install" -- \
  grep -qF "python3-torch is not installed: apt-get install python3-torch" "$tmp/bench.out"
check "JSON holds 4 iterations with positive rates and the GEMM shapes" -- awk '
  /"it_per_s":/ { gsub(/[,]/, ""); if ($2 > 0) ok++ }
  /"gflops":/ { g++ }
  END { exit !(ok == 4 && g >= 15) }' "$tmp/r.json"
check "CSV has its header and the rate rows" -- sh -c "
  head -n 1 '$tmp/r.csv' | grep -qx 'device,config,mode,k,product,metric,value' &&
  [ \$(grep -c ',it_per_s,' '$tmp/r.csv') -eq 4 ]"
# shellcheck disable=SC2086
"$mf" bench $small --no-torch --compare "$tmp/r.json" >"$tmp/cmp.out" 2>/dev/null
check "compare prints the change of each rate" -- sh -c "
  grep -qF 'changes against $tmp/r.json' '$tmp/cmp.out' &&
  grep -q 'toy fit K=1 .* it/s .*%' '$tmp/cmp.out'"
echo '{"devices": 3}' >"$tmp/bad.json"
# shellcheck disable=SC2086
expect 1 "is not a \`monoflow bench --json\` file" -- "$mf" bench $small --no-torch \
  --compare "$tmp/bad.json"

# tune with a tiny budget: it measures the defaults, and what it stores every later run
# applies (or it says it stored nothing)
"$mf" tune --config toy --budget 1 --repeats 1 >"$tmp/tune.out" 2>&1
check "tune exits 0" -- [ $? -eq 0 ]
check "tune measures the defaults" -- grep -qF "CLBlast's defaults:" "$tmp/tune.out"
if grep -qF "stored in $tmp/cache/clblast/" "$tmp/tune.out"; then
  best=$(sed -n 's/^best: //p' "$tmp/tune.out")
  "$mf" bench --config toy --iters 1 --repeats 1 --warmup 0 --no-start --no-torch \
    >"$tmp/b2.out" 2>/dev/null
  check "a later run applies the stored '$best'" -- grep -qF "CLBlast GEMM: $best" "$tmp/b2.out"
else
  check "tune says it stored nothing" -- grep -qF "nothing stored" "$tmp/tune.out"
fi

echo "test_bench_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
