#!/bin/sh
# The terminal viewer end to end, as a person would use it: a trainer in the background,
# `monoflow top` in tmux sessions of fixed sizes (send-keys, capture-pane), the panels' text
# asserted; resize and too-small; ASCII without a UTF-8 locale and with --ascii; four TERMs;
# pause, save and eps keys reaching the trainer; two viewers at once; quitting leaves the run
# going; a stopped run; `train --tui` in the same process; bad input.
# usage: test_tui.sh MONOFLOW
set -u
mf="$1"
export LC_ALL=C # this script's own commands (top --once) draw ASCII; the viewers set their own
T=$(mktemp -d /tmp/mf-test-tui-XXXXXX)
sock="mf-test-tui-$$"
pass=0
fail=0
trainer=""

tm() { tmux -L "$sock" "$@"; }
cleanup() {
  tm kill-server 2>/dev/null
  [ -n "$trainer" ] && kill -9 "$trainer" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
has() { # has WHAT TEXT...: the capture in $cap holds every TEXT
  what="$1"; shift
  for want in "$@"; do
    case "$cap" in *"$want"*) ok ;; *) bad "$what: no '$want' in:"; printf '%s\n' "$cap" ;; esac
  done
}
capture() { sleep "${2:-1.5}"; cap=$(tm capture-pane -p -t "$1"); }
view() { # view NAME COLS ROWS COMMAND...: a viewer in its own tmux session
  name="$1" cols="$2" rows="$3"; shift 3
  tm new-session -d -s "$name" -x "$cols" -y "$rows" "$*"
}
state() { "$mf" top "$T/run" --once | tail -n 1; }
iteration() { state | sed 's/.*iteration \([0-9]*\) of.*/\1/'; }
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
  n=$(($1 * 5)); shift
  while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done
  return 1
}

# a fit run that outlasts the test: constant eps (no schedule), no checkpoint until asked
"$mf" train --mode fit --g-width 32 --d-width 32 --batch 64 --iters 100000000 --log-every 10 \
  --ckpt-every 100000000 --lr-decay none --eps 0.3 --run-dir "$T/run" > "$T/train.log" 2>&1 &
trainer=$!
if ! wait_for 120 test -f "$T/run/snapshot.mfsn"; then
  bad "no snapshot from the trainer within 120 s"; cat "$T/train.log"
  echo "test_tui: $pass passed, $fail failed"; exit 1
fi
device=$(sed -n 's/^run .* on \(.*\)$/\1/p' "$T/train.log" | head -n 1)
sleep 1

# the main view at 100x30, UTF-8; a second viewer of the same run at once
view a 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $mf top $T/run"
view b 120 40 "LC_ALL=C.UTF-8 TERM=tmux-256color $mf top $T/run"
capture a
has "100x30" "losses" "  D loss" "fit loss" "KL(p|q)" "density ratio D = log p/q" "x -" "y -" \
  "o real x gen X both" "histogram of D: real vs generated" "real up" "generated down" "device" \
  "$device" "ms/iter: D" "GFLOP/s" "[RUNNING]" "ring8 fit h=logit" "K=5" "q quit" "$T/run"
case "$cap" in *"╭"*) ok ;; *) bad "100x30: no rounded corner in UTF-8 mode" ;; esac
capture b 0.2
has "second viewer 120x40" "losses" "density ratio" "$device" "[RUNNING]"
# colours: the heat map's half blocks carry 256-colour backgrounds; --no-color has none
if tm capture-pane -e -p -t a | grep -q "$(printf '\033')\[48;5;"; then ok; else bad "no 256-colour heat map"; fi

# resize: 80x24 is the minimum; below it a message, not garbage
tm resize-window -t a -x 80 -y 24
capture a
has "80x24" "losses" "density ratio" "histogram of D" "device" "[RUNNING]"
widest=$(printf '%s\n' "$cap" | LC_ALL=C.UTF-8 wc -L)
[ "$widest" -le 80 ] && ok || bad "80x24: a line of $widest columns"
tm resize-window -t a -x 60 -y 20
capture a
has "60x20" "terminal 60x20 is too small" "needs 80x24"
tm resize-window -t a -x 100 -y 30
capture a
has "back to 100x30" "losses" "histogram of D"

# keys: tab shows one panel alone, r switches the map to r = exp D, ? shows the help
tm send-keys -t a Tab
capture a 1
has "tab" "losses"
case "$cap" in *"histogram of D"*) bad "tab: other panels still shown" ;; *) ok ;; esac
tm send-keys -t a Tab r
capture a 1
has "tab, r" "density ratio r = exp D"
tm send-keys -t a '?'
capture a 1
has "help" "write a checkpoint now" "pause / resume training"
tm send-keys -t a x BTab BTab

# ASCII: automatically without a UTF-8 locale, and with --ascii
view c 100 30 "LC_ALL=C TERM=xterm $mf top $T/run"
view d 100 30 "LC_ALL=C.UTF-8 $mf top $T/run --ascii --no-color"
for s in c d; do
  capture $s 1
  has "ascii $s" "losses" "histogram of D" "+- density ratio"
  if printf '%s' "$cap" | LC_ALL=C grep -q '[^ -~]'; then bad "ascii $s: non-ASCII bytes"; else ok; fi
  if [ $s = d ] && tm capture-pane -e -p -t d | grep -Eq "$(printf '\033')\[([34][0-7]|[34]8;)"; then
    bad "--no-color still sends colours"
  else ok; fi
  tm kill-session -t $s
done

# the four TERMs users have
for t in xterm-256color screen tmux-256color vt100; do
  view "t$t" 100 30 "LC_ALL=C.UTF-8 TERM=$t $mf top $T/run"
  capture "t$t" 1
  has "TERM=$t" "losses" "density ratio" "histogram of D" "$device"
  tm kill-session -t "t$t"
done

# eps: + multiplies it by 1.25, and the trainer says so
tm send-keys -t a +
wait_for 10 sh -c "'$mf' top '$T/run' --once | grep -q 'eps=0.375'" && ok || bad "+ did not make eps 0.375"
capture a 0.6
has "eps" "eps now 0.375"

# pause: the iteration stops advancing; p again resumes
tm send-keys -t a p
wait_for 10 sh -c "'$mf' top '$T/run' --once | tail -n 1 | grep -q '^state paused'" && ok || bad "p did not pause"
i1=$(iteration); sleep 1.5; i2=$(iteration)
[ "$i1" = "$i2" ] && ok || bad "paused, yet the iteration went from $i1 to $i2"
capture a 0.5
has "paused view" "[PAUSED]" "paused at iteration"

# save: a checkpoint appears at once (while paused), though --ckpt-every is far away
[ ! -f "$T/run/checkpoint.mfck" ] && ok || bad "a checkpoint before s was pressed"
tm send-keys -t a s
wait_for 10 test -f "$T/run/checkpoint.mfck" && ok || bad "s wrote no checkpoint"
capture a 1
has "save" "checkpoint written at iteration $i2"
tm send-keys -t a p
wait_for 10 sh -c "[ \$('$mf' top '$T/run' --once | tail -n 1 | sed 's/.*iteration \([0-9]*\) of.*/\1/') -gt $i2 ]" \
  && ok || bad "p again did not resume"

# q quits the viewer, and the run goes on
tm send-keys -t a q
sleep 1
tm has-session -t a 2>/dev/null && bad "q left the viewer running" || ok
i1=$(iteration); sleep 1.5; i2=$(iteration)
[ "$i2" -gt "$i1" ] && ok || bad "after q the run stopped at $i1"

# a stopped run: Ctrl-C writes a checkpoint and says stopped; a viewer shows it
kill -INT "$trainer"
wait "$trainer"; rc=$?
trainer=""
[ "$rc" = 130 ] && ok || { bad "interrupted trainer exited $rc, not 130"; tail -n 40 "$T/train.log"; }
state | grep -q '^state stopped' && ok || bad "once after Ctrl-C: $(state)"
view e 100 30 "LC_ALL=C.UTF-8 $mf top $T/run"
capture e
has "stopped run" "[STOPPED]"
tm send-keys -t e s
capture e 0.6
has "steer a stopped run" "the run is stopped: nothing to steer"
tm send-keys -t e q

# train --tui: the same view inside the trainer; the finished run stays until q
view f 100 30 "LC_ALL=C.UTF-8 $mf train --tui --mode flow --particles 128 --d-width 32 --iters 300 --log-every 10 --run-dir $T/run2; echo exit \$? > $T/rc2; sleep 30"
wait_for 120 test -f "$T/run2/snapshot.mfsn" && ok || bad "train --tui wrote no snapshot"
capture f
has "train --tui" "losses" "  D loss" "density ratio" "$device" "flow"
wait_for 120 sh -c "'$mf' top '$T/run2' --once | tail -n 1 | grep -q '^state finished'" && ok || bad "--tui run did not finish"
capture f 1
has "--tui finished" "[FINISHED]" "finished at iteration 300"
tm send-keys -t f q
wait_for 20 test -f "$T/rc2" && ok || bad "q did not end train --tui"
[ "$(cat "$T/rc2" 2>/dev/null)" = "exit 0" ] && ok || bad "train --tui: $(cat "$T/rc2" 2>/dev/null)"
"$mf" top "$T/run2" --once > "$T/once.txt"
cap=$(cat "$T/once.txt")
has "--once of a finished run" "state finished" "iteration 300 of 300" "this run has finished" "losses"

# bad input: one line, exit status 2, nothing written
expect() { # expect STATUS TEXT COMMAND...
  want="$1" text="$2"; shift 2
  out=$("$@" 2>&1 < /dev/null); rc=$?
  [ "$rc" = "$want" ] && ok || bad "'$*' exited $rc, not $want"
  case "$out" in *"$text"*) ok ;; *) bad "'$*' said '$out', not '$text'" ;; esac
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && ok || bad "'$*' printed more than one line"
}
expect 2 "is not a directory" "$mf" top "$T/nope"
expect 2 "holds no run" "$mf" top "$T"
expect 2 "--rate wants frames per second" "$mf" top "$T/run" --rate 0
expect 2 "unknown flag '--bogus'" "$mf" top "$T/run" --bogus
expect 2 "top needs a run directory" "$mf" top
expect 2 "use \`monoflow top $T/run --once\`" "$mf" top "$T/run"
expect 2 "--tui needs a terminal" "$mf" train --tui --run-dir "$T/run3"
[ ! -e "$T/run3" ] && ok || bad "a refused --tui still made its run directory"
mkdir "$T/junk" && echo '{}' > "$T/junk/config.json" && echo junk > "$T/junk/snapshot.mfsn"
expect 1 "is not a snapshot this monoflow can read" "$mf" top "$T/junk" --once
view g 100 30 "LC_ALL=C.UTF-8 $mf top $T/junk"
capture g 1
has "viewer of a bad snapshot" "waiting for $T/junk/snapshot.mfsn" "is not a snapshot this monoflow can read"

echo "test_tui: $pass passed, $fail failed"
[ "$fail" = 0 ]
