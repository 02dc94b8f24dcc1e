#!/bin/sh
# Builds the native workloads into $1 (default ../target/native) with make, or with cc alone when make is
# missing. Without a C compiler it says so and exits 0: tests that need the binaries skip with that reason.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../target/native}"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "native: no C compiler ($cc); skipping cohort-spin and cohort-stream" >&2
  exit 0
fi
mkdir -p "$out"
if command -v make >/dev/null 2>&1; then
  exec make -s -C "$here" OUT="$out" CC="$cc"
fi
for p in spin stream; do
  "$cc" -O2 -Wall -Wextra -pthread -o "$out/cohort-$p" "$here/$p.c"
done
