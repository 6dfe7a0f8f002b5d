#!/usr/bin/env bash
# Build R fixest 0.12.2 (with its dependencies dreamerr 1.5.0 and stringmagic 1.2.0, which Debian does not
# package) from r-fixest-src.tar.gz beside this script into an R library folder, for the reference scripts
# under tests/reference and tests/Compendium.Benchmarks/compare_fixest.sh. Not needed to run the tests.
#
#   tests/reference/r-packages/build-fixest.sh [OUT_LIB]     (default: $FIXEST_LIB, else ~/.cache/r-fixest-lib)
#
# Installs the Debian build tools it needs (apt-get; run as root or have them installed), builds the three
# packages (~8 min on 2 cores), and prints the folder. Nothing to do when fixest 0.12.2 is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${FIXEST_LIB:-$HOME/.cache/r-fixest-lib}}
loaded() { Rscript -e "stopifnot(packageVersion('fixest', lib.loc = '$out') == '0.12.2')" >/dev/null 2>&1; }
if loaded; then echo "$out"; exit 0; fi
need=(r-base-dev r-cran-rcpp r-cran-formula r-cran-numderiv r-cran-nlme r-cran-sandwich r-cran-data.table)
if ! dpkg -s "${need[@]}" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null
fi
src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
tar -xzf "$here/r-fixest-src.tar.gz" -C "$src"; mkdir -p "$out"
for p in stringmagic dreamerr fixest; do
  MAKEFLAGS=-j2 R CMD INSTALL --no-docs --no-multiarch -l "$out" "$src/$p" >"$src/$p.log" 2>&1 || { tail -20 "$src/$p.log"; exit 1; }
done
loaded || { echo "fixest 0.12.2 did not load from $out" >&2; exit 1; }
echo "$out"
