#!/bin/sh
# The long quality runs behind README's table: SEEDS seeds of fit and one-step on ring8 and
# grid25, each evaluated on 2500 samples (modes covered, HQ %, reverse KL as MONOFLOW.md
# defines them); prints a markdown table of mean ± std.
# usage: bench/quality.sh MONOFLOW OUTDIR [SEEDS]
# environment (defaults in brackets): DATA [ring8 grid25], MODES [fit one-step],
#   SEED_LIST the seeds to run, e.g. "4 5" for a second instance [1 .. SEEDS],
#   ITERS_<data>_<mode> iterations of that pair (mode's '-' as '_') [8000],
#   FLAGS_<data>_<mode> extra train flags of that pair [none], FLAGS_<mode> of a mode
#   [none], FLAGS of every run [none].
# Writes OUTDIR/results.jsonl (one eval per run) and prints the table of all its lines, so
# two instances with different DATA may share OUTDIR; run it again with SEEDS 0 for the
# table of all their lines.
set -eu
mf="$1"; out="$2"; seeds="${3:-5}"
mkdir -p "$out"
results="$out/results.jsonl"
touch "$results"
for data in ${DATA:-ring8 grid25}; do
  for mode in ${MODES:-fit one-step}; do
    m=$(echo "$mode" | tr - _)
    iters=$(eval echo "\${ITERS_${data}_$m:-8000}")
    flags="$(eval echo "\${FLAGS_$m:-}") $(eval echo "\${FLAGS_${data}_$m:-}")"
    for seed in ${SEED_LIST:-$(seq 1 "$seeds")}; do
      dir="$out/$data-$mode-$seed"
      rm -rf "$dir"
      start=$(date +%s)
      # shellcheck disable=SC2086
      "$mf" train --data "$data" --mode "$mode" --seed "$seed" --iters "$iters" \
        --log-every 500 --run-dir "$dir" ${FLAGS:-} $flags > "$dir.log" 2>&1
      secs=$(( $(date +%s) - start ))
      f=$(echo "$flags" | sed 's/^ *//; s/ *$//')
      "$mf" eval "$dir" --json |
        sed "s/}\$/,\"iters\":$iters,\"seconds\":$secs,\"flags\":\"$f\"}/" >> "$results"
      tail -n 1 "$results"
    done
  done
done

echo
# thin modes: covered (at least 1 HQ sample) but with fewer than 10 of the 2500
echo "| data | mode | flags | iterations | runs | modes covered | thin modes (< 10 HQ) | HQ % | reverse KL | seconds/run |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk '
function val(key,   m) { if (match($0, "\"" key "\":[^,}]*")) return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3); return 0 }
function str(key) { if (match($0, "\"" key "\":\"[^\"]*\"")) return substr($0, RSTART + length(key) + 4, RLENGTH - length(key) - 5); return "" }
{
  k = val("data") "|" val("mode") "|" str("flags") "|" val("iters"); gsub(/"/, "", k)
  n[k]++; cov = val("modes_covered"); hq = 100 * val("hq"); kl = val("reverse_kl"); s = val("seconds")
  c1[k] += cov; c2[k] += cov * cov; h1[k] += hq; h2[k] += hq * hq; k1[k] += kl; k2[k] += kl * kl
  t[k] += s; total[k] = val("modes"); it[k] = val("iters")
  thin = 0
  if (match($0, "\"mode_counts\":\\[[^]]*")) {
    m = split(substr($0, RSTART + 15, RLENGTH - 15), cnt, ",")
    for (i = 1; i <= m; i++) thin += (cnt[i] + 0 > 0 && cnt[i] + 0 < 10)
  } else nothin[k] = 1
  th1[k] += thin; th2[k] += thin * thin
}
function sd(s1, s2, m) { v = s2 / m - (s1 / m) ^ 2; return v > 0 ? sqrt(v) : 0 }
END {
  for (k in n) {
    split(k, p, "|")
    thin = nothin[k] ? "n/a" : sprintf("%.1f ± %.1f", th1[k] / n[k], sd(th1[k], th2[k], n[k]))
    printf "| %s | %s | %s | %d | %d | %.1f ± %.1f / %d | %s | %.1f ± %.1f | %.3f ± %.3f | %.0f |\n", p[1], p[2], p[3] == "" ? "(defaults)" : "`" p[3] "`", it[k], n[k],
      c1[k] / n[k], sd(c1[k], c2[k], n[k]), total[k], thin, h1[k] / n[k], sd(h1[k], h2[k], n[k]),
      k1[k] / n[k], sd(k1[k], k2[k], n[k]), t[k] / n[k]
  }
}' "$results" | sort
