#!/bin/sh
# CPU the viewer itself uses: a small fit run in the background, `monoflow top` attached to it
# in a tmux session (100x30, default rate unless RATE is given), and the viewer's user+system
# time over SECONDS read from /proc. Prints the share of one core.
# usage: bench/tui_cpu.sh MONOFLOW [SECONDS] [RATE]
set -eu
mf="$1"; secs="${2:-30}"; rate="${3:-4}"
T=$(mktemp -d)
sock="mf-bench-tui-$$"
"$mf" train --g-width 64 --d-width 64 --iters 100000000 --log-every 10 --ckpt-every 100000000 \
  --run-dir "$T/run" > "$T/train.log" 2>&1 &
trainer=$!
trap 'tmux -L "$sock" kill-server 2>/dev/null; kill "$trainer" 2>/dev/null; rm -rf "$T"' EXIT
while [ ! -f "$T/run/snapshot.mfsn" ]; do sleep 0.5; done
tmux -L "$sock" new-session -d -x 100 -y 30 "exec env LC_ALL=C.UTF-8 TERM=xterm-256color $mf top $T/run --rate $rate"
sleep 3 # past start-up
pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
grep -q top "/proc/$pid/cmdline" || { echo "the pane runs $(tr '\0' ' ' < /proc/$pid/cmdline), not the viewer"; exit 1; }
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); sleep "$secs"; t1=$(ticks)
awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$secs" -v r="$rate" \
  'BEGIN { printf "viewer at %s frames/s: %.2f s of CPU in %d s = %.2f %% of one core\n", r, (b - a) / hz, s, 100 * (b - a) / hz / s }'
