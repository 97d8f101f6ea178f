# Shared by the command-line tests (sourced): `expect CODE NEEDLE -- command...` passes when
# the command exits with CODE and prints exactly one line on stderr that contains NEEDLE.
# Needs $tmp (a scratch directory) and counts into $pass and $fail.
expect() {
  code="$1"; needle="$2"; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  lines=$(wc -l <"$tmp/err")
  if [ "$got" -eq "$code" ] && grep -qF -- "$needle" "$tmp/err" && [ "$lines" -eq 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $* -> exit $got (want $code), $lines stderr line(s), want '$needle':"
    cat "$tmp/err"
  fi
}
