#!/bin/sh
# The image check behind README's numbers: trains MonoFlow on Fashion-MNIST with the image
# defaults (fit, K 5) for ITERS iterations, evaluates it (10000 generated images), and
# fails unless the Fréchet distance is below MAX_FD and every class is covered.
# usage: bench/images.sh MONOFLOW OUTDIR [ITERS] [MAX_FD] [extra train flags...]
set -eu
mf="$1"; out="$2"; iters="${3:-3000}"; max_fd="${4:-60}"
shift 2; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
rm -rf "$out"
start=$(date +%s)
"$mf" train --data fashion-mnist --iters "$iters" --log-every 100 --ckpt-every 500 \
  --run-dir "$out" "$@" > "$out.log" 2>&1
echo "trained $iters iterations in $(( $(date +%s) - start )) s; samples in $out/*.png"
"$mf" eval "$out" --json 2>/dev/null | tee "$out.eval.json"
awk -v max="$max_fd" '
function val(key) { if (match($0, "\"" key "\":[^,}]*")) return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3); return -1 }
{ fd = val("fid"); cov = val("classes_covered") }
END {
  ok = fd >= 0 && fd < max && cov == 10
  printf "Frechet distance %.3f (want < %s), classes covered %d / 10: %s\n", fd, max, cov, ok ? "pass" : "FAIL"
  exit !ok
}' "$out.eval.json"
