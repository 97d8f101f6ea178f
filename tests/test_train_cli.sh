#!/bin/sh
# monoflow train / sample / eval from the command line: every bad input gets one line on
# stderr and a non-zero exit and changes no file; Ctrl-C checkpoints; a run resumed from the
# command line ends bit-identical to one that never stopped. Usage: test_train_cli.sh MONOFLOW
mf="$1"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
tiny="--g-width 8 --d-width 8 --g-depth 1 --d-depth 1 --batch 16 --particles 16 --samples 50 --log-every 5"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

expect() { # CODE NEEDLE -- command...
  code="$1"; needle="$2"; shift 3
  "$@" >out.txt 2>err.txt
  got=$?
  lines=$(wc -l <err.txt)
  if [ "$got" -eq "$code" ] && grep -qF -- "$needle" err.txt && [ "$lines" -eq 1 ]; then ok
  else bad "$* -> exit $got (want $code), $lines line(s), want '$needle': $(cat err.txt)"; fi
}

# a good run first: its files are what the bad inputs below must leave alone
"$mf" train $tiny --iters 10 --ckpt-every 5 --run-dir good >out.txt 2>err.txt || bad "tiny run failed: $(cat err.txt)"
for f in config.json metrics.jsonl checkpoint.mfck samples-000005.csv samples-000010.csv; do
  [ -s "good/$f" ] && ok || bad "good/$f missing"
done
[ "$(wc -l <good/metrics.jsonl)" -eq 2 ] && ok || bad "metrics.jsonl has $(wc -l <good/metrics.jsonl) lines, want 2"
[ "$(wc -l <good/samples-000010.csv)" -eq 50 ] && ok || bad "samples file has the wrong length"
grep -q "modes covered" out.txt && ok || bad "no quality report at the end: $(cat out.txt)"
ls good | grep -q tmp && bad "temporary files left in the run directory" || ok
sums() { cat good/* | md5sum; }
before=$(sums)

expect 2 "unknown flag '--fast' for train" -- "$mf" train --fast
expect 2 "unknown data set 'ring9': choose one of ring8" -- "$mf" train $tiny --data ring9 --run-dir x1
expect 2 "--h wants logit, ns, vanilla, arcsinh or jeffrey, got 'relu'" -- "$mf" train --h relu
expect 2 "--mode wants one-step, fit or flow, got 'gan'" -- "$mf" train --mode gan
expect 2 "--batch wants a whole number from 1 to 65536, got '0'" -- "$mf" train --batch 0
expect 2 "--g-width wants a whole number from 1 to 16384, got '100000000'" -- "$mf" train --g-width 100000000
expect 2 "--eps wants a number from 1e-08 to 100, got '-1'" -- "$mf" train --eps -1
expect 2 "--iters wants a whole number from 1 to 1000000000, got '1e99'" -- "$mf" train --iters 1e99
expect 2 "--lr-d needs a value" -- "$mf" train --lr-d
expect 1 "cannot read CSV file /nonexistent/points.csv" -- "$mf" train $tiny --data csv:/nonexistent/points.csv --run-dir x2
printf '1,2\n3,4\n5,oops\n' > bad.csv
expect 1 "bad.csv: line 3, column 2: 'oops' is not a finite number" -- "$mf" train $tiny --data csv:bad.csv --run-dir x3
expect 1 "cannot create run directory /proc/monoflow/run" -- "$mf" train $tiny --run-dir /proc/monoflow/run
expect 2 "run directory good already holds a run: continue it with --resume good" -- "$mf" train $tiny --run-dir good
expect 2 "--batch cannot change when resuming: the checkpoint in good has 16, the flags ask for 32" -- "$mf" train --resume good --batch 32
expect 2 "--g-ema averages the generator, and flow mode has none" -- "$mf" train $tiny --mode flow --g-ema 0.9 --run-dir fl
[ ! -e fl ] && ok || bad "a refused flow run left its directory"
expect 2 "--g-ema cannot change when resuming: the checkpoint in good has 0, the flags ask for 0.9" -- "$mf" train --resume good --g-ema 0.9
expect 2 "the run in good already reached iteration 10 of 10" -- "$mf" train --resume good
expect 2 "no checkpoint in nowhere" -- "$mf" train --resume nowhere
expect 2 "--resume continues a run in its own directory" -- "$mf" train --resume good --run-dir other
[ ! -e x1 ] && [ ! -e x2 ] && [ ! -e x3 ] && ok || bad "a refused run left a directory behind"

mkdir broken && cp good/checkpoint.mfck broken/
printf 'X' | dd of=broken/checkpoint.mfck bs=1 seek=300 conv=notrunc 2>/dev/null
expect 1 "checkpoint broken/checkpoint.mfck is corrupt or truncated" -- "$mf" train --resume broken --iters 20
head -c 100 good/checkpoint.mfck > broken/checkpoint.mfck
expect 1 "is corrupt or truncated" -- "$mf" eval broken
printf 'not a checkpoint at all' > broken/checkpoint.mfck
expect 1 "is not a monoflow checkpoint (bad magic)" -- "$mf" sample broken --out s.csv

expect 2 "sample needs --out FILE.csv" -- "$mf" sample good
expect 2 "-n wants a whole number from 1 to 10000000, got '0'" -- "$mf" sample good -n 0 --out s.csv
expect 2 "eval needs a run directory" -- "$mf" eval
expect 2 "unknown flag '--png' for eval" -- "$mf" eval good --png
[ "$(sums)" = "$before" ] && ok || bad "a refused command changed the files of the good run"

"$mf" sample good -n 123 --out s.csv >/dev/null 2>&1 && [ "$(wc -l <s.csv)" -eq 123 ] && ok || bad "sample -n 123"
"$mf" eval good --json >out.txt 2>&1 && grep -q '"modes":8' out.txt && ok || bad "eval --json: $(cat out.txt)"

# a CSV of 3-D points trains end to end; eval reports the KL estimates, no modes
awk 'BEGIN { for (i = 0; i < 200; i++) printf "%d,%g,%g\n", i % 2, sin(i), cos(i) }' > pts.csv
"$mf" train $tiny --data csv:pts.csv --iters 10 --run-dir csvrun >/dev/null 2>&1 && ok || bad "CSV run failed"
"$mf" eval csvrun >out.txt 2>&1 && grep -q "KL(p||q)" out.txt && ! grep -q "modes covered" out.txt && ok ||
  bad "eval of a CSV run: $(cat out.txt)"
"$mf" sample csvrun -n 7 --out c.csv >/dev/null 2>&1 && [ "$(wc -l <c.csv)" -eq 7 ] &&
  [ "$(head -n 1 c.csv | tr ',' '\n' | wc -l)" -eq 3 ] && ok || bad "CSV samples are not 7 points of 3 values"

# flow mode: sample gives the particles, and no more than there are
"$mf" train $tiny --mode flow --iters 5 --run-dir flow >/dev/null 2>&1 || bad "flow run failed"
expect 2 "this flow run has 16 particles" -- "$mf" sample flow -n 17 --out f.csv

# resume from the command line: 10 + 10 iterations end where 20 straight do (a constant
# rate: a schedule is a function of --iters, which this resume changes)
"$mf" train $tiny --lr-decay none --iters 20 --run-dir straight >/dev/null 2>&1
"$mf" train $tiny --lr-decay none --iters 10 --run-dir split >/dev/null 2>&1
"$mf" train --resume split --iters 20 >/dev/null 2>&1
cmp -s straight/samples-000020.csv split/samples-000020.csv && ok || bad "resumed run differs from the straight one"
[ "$(wc -l <split/metrics.jsonl)" -eq 4 ] && ok || bad "resumed metrics.jsonl has $(wc -l <split/metrics.jsonl) lines, want 4"

# images: a 4-image IDX file of 2 x 2 pixels; checkpoints write PNG grids, sample --png too
printf '\000\000\010\003\000\000\000\004\000\000\000\002\000\000\000\002' >img.idx
printf '\000\100\200\377\377\200\100\000\020\040\060\100\200\200\200\200' >>img.idx
"$mf" train $tiny --data idx:img.idx --iters 4 --ckpt-every 2 --run-dir imgrun >/dev/null 2>&1 &&
  [ -s imgrun/samples-000004.png ] && ok || bad "image run wrote no samples-000004.png"
grep -q '"out-act": "tanh"' imgrun/config.json && grep -q '"latent": 64' imgrun/config.json &&
  ok || bad "image data did not get the image defaults (tanh output, latent 64)"
# a diverged run stops with one line, keeps its last good checkpoint, and logs JSON nulls
expect 1 "training diverged at iteration" -- "$mf" train $tiny --mode one-step --h jeffrey \
  --lr-d 3 --lr-g 0.1 --iters 200 --ckpt-every 3 --run-dir dv
grep -q "is kept: lower the learning rates or pick an h that grows slower" err.txt &&
  "$mf" eval dv >/dev/null 2>&1 && grep -q '"d_loss":null' dv/metrics.jsonl &&
  ok || bad "diverged run: $(cat err.txt)"

# one-step mode: the faster generator rate and the weight average, unless given
"$mf" train $tiny --mode one-step --iters 2 --run-dir os1 >/dev/null 2>&1 &&
  grep -q '"lr-g": 0.002' os1/config.json && grep -q '"g-ema": 0.999' os1/config.json &&
  ok || bad "one-step did not get its defaults (lr-g 2e-3, g-ema 0.999)"
"$mf" train $tiny --mode one-step --lr-g 1e-3 --g-ema 0 --iters 2 --run-dir os2 >/dev/null 2>&1 &&
  grep -q '"lr-g": 0.001' os2/config.json && grep -q '"g-ema": 0,' os2/config.json &&
  ok || bad "one-step's defaults overrode --lr-g 1e-3 --g-ema 0"
"$mf" train $tiny --data idx:img.idx --mode one-step --iters 2 --run-dir imgos >/dev/null 2>&1 &&
  grep -q '"lr-g": 0.0005' imgos/config.json && grep -q '"g-ema": 0,' imgos/config.json &&
  ok || bad "one-step on images took the point-data defaults"
"$mf" sample imgrun --png grid.png >/dev/null 2>&1 && [ "$(head -c 4 grid.png | tail -c 3)" = "PNG" ] &&
  ok || bad "sample --png wrote no PNG"
printf '\000\000\010\001\000\000\000\004\000\001\002\003' >lab.idx
"$mf" train $tiny --data idx:img.idx,lab.idx --iters 2 --run-dir labrun >/dev/null 2>&1
expect 2 "img.idx has too few images to hold out a test set" -- "$mf" eval labrun
expect 1 "lab.idx has 1 dimensions; images have 3 (count, rows, columns)" -- "$mf" train $tiny --data idx:lab.idx --run-dir x7
printf '\000\000\010\001\000\000\000\003\000\001\002' >lab3.idx
expect 1 "has 3 labels for the 4 images of img.idx" -- "$mf" train $tiny --data idx:img.idx,lab3.idx --run-dir lab3
expect 2 "--png draws images; the run in good trains on ring8" -- "$mf" sample good --png g.png
expect 1 "is truncated: the header promises 16 values, the file holds 8" -- sh -c "
  head -c 24 img.idx >short.idx; '$mf' train $tiny --data idx:short.idx --run-dir short"
expect 1 "is not an IDX file: magic" -- "$mf" train $tiny --data idx:c.csv --run-dir x5
expect 1 "Fashion-MNIST is not installed (no $PWD/none/train-images-idx3-ubyte.gz): apt-get install dataset-fashion-mnist" -- \
  env MONOFLOW_FASHION_MNIST_DIR="$PWD/none" "$mf" train --data fashion-mnist --run-dir x6

# Ctrl-C: a checkpoint, the message, exit status 130
"$mf" train $tiny --iters 1000000 --log-every 1 --run-dir intr >intr.out 2>&1 &
pid=$!
for i in $(seq 1 100); do [ -s intr/metrics.jsonl ] && break; sleep 0.1; done
kill -INT $pid
wait $pid
code=$?
[ "$code" -eq 130 ] && ok || bad "Ctrl-C exit status $code"
grep -q "stopped at iteration" intr.out && [ -s intr/checkpoint.mfck ] && ok || bad "Ctrl-C: $(cat intr.out)"

echo "test_train_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
