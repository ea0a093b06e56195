#!/bin/sh
# Runs pabutools and pb_bench on the same file in one go and prints the speed ratio
# for MES with add1 completion (cost satisfaction).
#   bench/pb_compare.sh BUILD_DIR [FILE.pb]
# Needs python3 with gmpy2, numpy, pulp, natsort (Debian packages) and a copy of
# pabutools 1.2.3 in PABUTOOLS_DIR (default /work/ref/pabutools-1.2.3). Debian's
# gmpy2 2.1.2 changes the first argument of mpq(q, n) in place; pabutools' frac()
# must divide fresh values in that local copy (mpq(a) / mpq(b)) or MES goes wrong.
set -eu
build=${1:?build dir}
file=${2:-"$(dirname "$0")/../../shared/data/pabulib/Poland_Warszawa_2020_Praga-Poludnie.pb"}
here=$(dirname "$0")
ours=$("$build/bench/pb_bench" --only "$(basename "$file")" --rule mes/cost/add1 --repeat 3 "$(dirname "$file")" |
       awk '$2 == "mes/cost/add1" {print $4}')
echo "communitise mes/cost/add1: $ours s"
log=$(/usr/bin/python3 "$here/pb_pabutools.py" "$file" mes_add1)
echo "$log"
theirs=$(echo "$log" | awk '$1 == "pabutools" && $2 == "mes_add1" {print $3}')
echo "pabutools mes_add1: $theirs s"
awk -v a="$theirs" -v b="$ours" 'BEGIN {printf "ratio: %.0fx\n", a / b}'
