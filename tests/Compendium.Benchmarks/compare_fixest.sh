#!/usr/bin/env bash
# Whole-process comparison with R fixest, both sides in one run (issue 9, item 2).
#
#   tests/Compendium.Benchmarks/compare_fixest.sh [--rows "1000000 10000000"] [--reps 3] [--hard] [--dir DIR]
#
# For each size N it writes (once, with R data.table::fwrite, seed 2) an N-row, 8-column CSV of the
# benchmarks' BenchData.Large shape: unit = row / 10, year uniform over 20 years (unbalanced, factors
# not orthogonal), x1..x5 correlated with the unit effect, y. Then, alternating the two sides REPS
# times so that both see the same machine load, it runs
#   compendium: Compendium.Cli fit --data FILE --formula "y ~ x1 + x2 + x3 + x4 + x5 | unit + year"
#               --vcov cluster:unit --json                      (the Release apphost: what `dotnet run`
#               ends up executing, without MSBuild's up-to-date check)
#   fixest:     Rscript: library(data.table); library(fixest); d <- fread(FILE);
#               feols(y ~ x1 + x2 + x3 + x4 + x5 | unit + year, d, cluster = ~unit)   (2 threads)
# each under /usr/bin/time -v, and prints per size: the median wall time, the median CPU time (user +
# system: less sensitive than wall time to other processes on a shared machine), the median peak resident
# memory (max RSS), each with the ratio compendium / fixest, the in-process times each side reports (fixest:
# fread and feols; compendium: read and fit, from COMPENDIUM_TIMINGS=1 when the CLI supports it), and
# the largest relative difference between the two sides' coefficients.
# --hard adds the worker x firm chain of tests/reference/fe_conventions/hardfe_data.R at 10^6 rows
# (100,000 workers, 5,000 firms in 50 regions, 5-500 movers between adjacent regions): y ~ x1 + x2 |
# worker + firm, iid, fixest with its default tolerance.
# Needs: dotnet, R with data.table, R fixest 0.12.2 in FIXEST_LIB (default ~/.cache/r-fixest-lib; build it
# with tests/reference/r-packages/build-fixest.sh), GNU time. Data go to DIR (default /tmp/compendium-bench, ~1.3 GB
# for 10^7 rows), kept between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows="1000000 10000000"; reps=3; hard=0; dir=${BENCH_DIR:-/tmp/compendium-bench}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --hard) hard=1; shift ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
fixest_lib=${FIXEST_LIB:-$HOME/.cache/r-fixest-lib}
if ! Rscript -e "stopifnot(packageVersion('fixest', lib.loc = '$fixest_lib') == '0.12.2')" >/dev/null 2>&1; then
  echo "R fixest 0.12.2 not found in $fixest_lib: build it with tests/reference/r-packages/build-fixest.sh (or set FIXEST_LIB)" >&2
  exit 1
fi
mkdir -p "$dir"
export LC_ALL=C

echo "# build (Release)" >&2
dotnet build "$root/lib/Compendium.Cli" -c Release -v q -nologo >/dev/null
cli="$root/lib/Compendium.Cli/bin/Release/net10.0/Compendium.Cli"

gen_large() { # N FILE
  Rscript -e "suppressPackageStartupMessages(library(data.table)); setDTthreads(2); set.seed(2); n <- $1
    u <- (seq_len(n) - 1L) %/% 10L; t <- sample.int(20L, n, TRUE); ua <- rnorm(n %/% 10L + 1L); ya <- rnorm(20)
    d <- data.table(unit = u, year = 1999L + t); y <- ua[u + 1L] + ya[t]
    for (k in 1:5) { x <- rnorm(n) + 0.5 * ua[u + 1L] + 0.1 * (t - 1); set(d, j = paste0('x', k), value = x); y <- y + k * 0.1 * x }
    d[, y := y + rnorm(n)]; setcolorder(d, c('unit', 'year', 'y')); fwrite(d, '$2')"
}
gen_hard() { # FILE
  Rscript -e "source('$root/tests/reference/fe_conventions/hardfe_data.R')
    d <- gen_hard(workers_per_region = 2000, regions = 50, firms_per_region = 100, periods = 10,
                  movers_min = 5, movers_max = 500, seed = 9)
    data.table::fwrite(d, '$1')"
}

# run_side SIDE FILE FORMULA VCOV_CLI VCOV_R -> appends "wall_s rss_mib inproc coefs" to $dir/SIDE.runs
run_side() {
  local side=$1 file=$2 formula=$3 vcli=$4 vr=$5 t="$dir/time.txt" o="$dir/out.txt" e="$dir/err.txt"
  if [[ $side == compendium ]]; then
    COMPENDIUM_TIMINGS=1 /usr/bin/time -v -o "$t" "$cli" fit --data "$file" --formula "$formula" --vcov "$vcli" --json >"$o" 2>"$e" \
      || { echo "compendium failed:" >&2; cat "$e" >&2; return 1; }
    inproc=$({ grep -o 'timings:.*' "$e" || true; } | head -1 | sed 's/^timings: *//; s/ /_/g'); inproc=${inproc:--}
    coefs=$(python3 -c "import json,sys; r=json.load(open('$o')); print(','.join('%s=%.17g' % (c['name'], c['estimate']) for c in r['coefficients']))")
  else
    /usr/bin/time -v -o "$t" Rscript -e "suppressPackageStartupMessages({library(data.table); .libPaths(c('$fixest_lib', .libPaths())); library(fixest)})
      setFixest_nthreads(2); setDTthreads(2)
      t0 <- proc.time()[['elapsed']]; d <- fread('$file'); t1 <- proc.time()[['elapsed']]
      m <- feols($formula, d, $vr); t2 <- proc.time()[['elapsed']]
      cat(sprintf('timings: fread_%.2fs feols_%.2fs\n', t1 - t0, t2 - t1))
      cat(paste(sprintf('%s=%.17g', names(coef(m)), coef(m)), collapse = ','), '\n')" >"$o" 2>"$e" \
      || { echo "fixest failed:" >&2; cat "$e" >&2; return 1; }
    inproc=$(grep -o 'timings:.*' "$o" | sed 's/^timings: *//; s/ /_/g')
    coefs=$(tail -1 "$o" | tr -d ' ')
  fi
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$t")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$t")
  echo "$wall $rss $inproc $coefs $cpu" >>"$dir/$side.runs"
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

compare() { # LABEL FILE FORMULA VCOV_CLI VCOV_R
  local label=$1
  rm -f "$dir/compendium.runs" "$dir/fixest.runs"
  for ((r = 1; r <= reps; r++)); do
    run_side compendium "$2" "$3" "$4" "$5"
    run_side fixest "$2" "$3" "$4" "$5"
  done
  local cw fw cm fm cc fc ci fi diff
  cw=$(cut -d' ' -f1 "$dir/compendium.runs" | median); fw=$(cut -d' ' -f1 "$dir/fixest.runs" | median)
  cm=$(cut -d' ' -f2 "$dir/compendium.runs" | median); fm=$(cut -d' ' -f2 "$dir/fixest.runs" | median)
  cc=$(cut -d' ' -f5 "$dir/compendium.runs" | median); fc=$(cut -d' ' -f5 "$dir/fixest.runs" | median)
  ci=$(cut -d' ' -f3 "$dir/compendium.runs" | tail -1); fi=$(cut -d' ' -f3 "$dir/fixest.runs" | tail -1)
  diff=$(paste -d' ' <(cut -d' ' -f4 "$dir/compendium.runs" | tail -1) <(cut -d' ' -f4 "$dir/fixest.runs" | tail -1) | python3 -c "
import sys
a, b = sys.stdin.read().split()
pa = dict(kv.split('=') for kv in a.split(',')); pb = dict(kv.split('=') for kv in b.split(','))
print('%.1e' % max(abs(float(pa[k]) - float(pb[k])) / abs(float(pb[k])) for k in pb))")
  printf '| %s | %.2f s | %.2f s | %.2f | %.2f s | %.2f s | %.2f | %s MiB | %s MiB | %.2f | %s | %s | %s |\n' "$label" "$cw" "$fw" \
    "$(echo "$cw / $fw" | bc -l)" "$cc" "$fc" "$(echo "$cc / $fc" | bc -l)" "$cm" "$fm" "$(echo "$cm / $fm" | bc -l)" "${ci//_/ }" "${fi//_/ }" "$diff"
  { echo "## $label (wall_s rss_MiB in-process coefficients cpu_s)"; sed 's/^/compendium /' "$dir/compendium.runs"; sed 's/^/fixest     /' "$dir/fixest.runs"; } >>"$dir/raw.txt"
}

: >"$dir/raw.txt"
echo "compare_fixest.sh: $(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, medians of $reps alternating runs"
echo
echo "| case | compendium wall | fixest wall | ratio | compendium CPU | fixest CPU | ratio | compendium peak | fixest peak | ratio | compendium in-process | fixest in-process | max rel. coef. diff |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
for n in $rows; do
  f="$dir/large_$n.csv"
  [[ -s $f ]] || { echo "# writing $f" >&2; gen_large "$n" "$f"; }
  size=$(du -m "$f" | cut -f1)
  compare "$n rows, $size MB CSV, 2 FE, cluster" "$f" "y ~ x1 + x2 + x3 + x4 + x5 | unit + year" "cluster:unit" "cluster = ~unit"
done
if [[ $hard == 1 ]]; then
  f="$dir/hardfe_1e6.csv"
  [[ -s $f ]] || { echo "# writing $f" >&2; gen_hard "$f"; }
  compare "hard worker x firm, 10^6 rows, iid" "$f" "y ~ x1 + x2 | worker + firm" "iid" "vcov = 'iid'"
fi
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; every run: $dir/raw.txt"
