#!/bin/sh
# muzzle vs Debian's libseccomp: builds bench/bench.c against the build in
# $1 (default build), records a syscall mix from real programs (mix.sh),
# runs the benchmark (also timing muzzle learn and muzzle run from $1), and
# writes bench/results.md (generated) and, when gnuplot is installed,
# bench/results.svg.  Progress goes to stderr.
set -e
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
profile=${MUZZLE_DOCKER_PROFILE:-$top/../shared/profiles/docker-default.json}
if [ ! -r "$profile" ]; then
	echo "bench: Docker profile not found: $profile (set MUZZLE_DOCKER_PROFILE)" >&2
	exit 1
fi
found=
for f in /usr/lib/*/libseccomp.so.2 /usr/lib/libseccomp.so.2 /usr/lib64/libseccomp.so.2; do
	[ -e "$f" ] && found=$f
done
if [ -z "$found" ]; then
	echo "bench: libseccomp.so.2 is needed (apt-get install libseccomp2)" >&2
	exit 1
fi
if ! command -v strace >/dev/null 2>&1; then
	echo "bench: strace is needed (apt-get install strace)" >&2
	exit 1
fi
make --no-print-directory "$B/libmuzzle.a" "$B/libmuzzle-formats.a" "$B/muzzle" >/dev/null
mkdir -p "$B/bench"
bdir=$(cd "$B/bench" && pwd)
${CC:-cc} -std=gnu11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -Ilib -Iformats bench/bench.c \
	bench/mix.c bench/procs.c "$B/libmuzzle-formats.a" "$B/libmuzzle.a" -ljson-c -ldl -lm \
	-o "$bdir/bench"
${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -D_GNU_SOURCE -pthread bench/workload.c \
	-o "$bdir/workload"
sh bench/mix.sh "$bdir/mix.txt" "$bdir/mix.tmp"
echo "bench: compile time, size, instructions executed, runtime, learn, run" >&2
"$bdir/bench" "$profile" "$bdir/plot.dat" "$bdir/mix.txt" "$(cd "$B" && pwd)/muzzle" \
	"$bdir/workload" > "$bdir/results.md"
if command -v gnuplot >/dev/null 2>&1; then
	gnuplot -e "data='$B/bench/plot.dat'; out='bench/results.svg'" bench/plot.gp
	printf '\n![compile time and filter size](results.svg)\n' >> "$B/bench/results.md"
fi
mv "$B/bench/results.md" bench/results.md
echo "bench: wrote bench/results.md"
sed -n '/^## Targets/,/^Targets:/p' bench/results.md
