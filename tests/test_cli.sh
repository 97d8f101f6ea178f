#!/bin/sh
# The command line's answers to bad input: one line on stderr naming the problem and what to
# do, a non-zero exit. Usage: test_cli.sh path/to/monoflow
mf="$1"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/cli_expect.sh" # expect CODE NEEDLE -- command...

# success: exit 0 and stdout containing NEEDLE
expect_ok() {
  needle="$1"; shift 2
  if "$@" >"$tmp/out" 2>"$tmp/err" && grep -qF -- "$needle" "$tmp/out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $* should succeed and print '$needle'"; cat "$tmp/out" "$tmp/err"
  fi
}

expect_ok "(default)" -- "$mf" devices
expect_ok "OpenCL C" -- "$mf" devices
expect_ok "usage: monoflow" -- "$mf" help
expect_ok "final mse" -- "$mf" demo --steps 3 --hidden 8

expect 1 "no OpenCL device matches 'no-such-device'" -- "$mf" demo --device no-such-device
expect 1 "run \`monoflow devices\` to list them" -- "$mf" demo --device no-such-device
expect 1 "device index 99 is out of range" -- "$mf" demo --device 99
expect 1 "no OpenCL device matches 'from-env'" -- env MONOFLOW_DEVICE=from-env "$mf" demo
mkdir "$tmp/no-icds"
expect 1 "no OpenCL platform found: install an OpenCL driver" -- \
  env OCL_ICD_VENDORS="$tmp/no-icds" "$mf" devices
expect 2 "unknown command 'fly'" -- "$mf" fly
expect 2 "unknown flag '--fast' for demo" -- "$mf" demo --fast
expect 2 "--steps wants a whole number from 1 to 1000000, got 'abc'" -- "$mf" demo --steps abc
expect 2 "--steps wants a whole number from 1 to 1000000, got '0'" -- "$mf" demo --steps 0
expect 2 "--hidden wants a whole number from 1 to 4096, got ''" -- "$mf" demo --hidden
expect 2 "--device needs a value" -- "$mf" demo --device
expect 2 "devices takes no arguments" -- "$mf" devices extra

echo "test_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
