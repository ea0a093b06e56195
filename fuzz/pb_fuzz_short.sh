#!/bin/sh
# Bounded fuzz run of the pabulib reader, for the test script and CI.
#   fuzz/pb_fuzz_short.sh [SECONDS] [BUILD_DIR]
# Configures and builds the libFuzzer target with clang-14 in BUILD_DIR (default
# build-fuzz) if needed, then fuzzes for SECONDS (default 30) from the seed corpus.
# Exits non-zero if the fuzzer finds a crash, leak, UB or a broken round trip.
set -eu
seconds=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-"$root/build-fuzz"}
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCOMMUNITISE_FUZZ=ON \
    -DCOMMUNITISE_ENGINES_ONLY=ON -DCOMMUNITISE_TESTS=OFF -DCOMMUNITISE_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j2 --target pb_parser_fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$build/fuzz/pb_parser_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -print_final_stats=1 "$work" "$root/fuzz/corpus/pb"
