#!/bin/sh
# Records a real syscall mix for bench.c: runs a few syscall-diverse programs
# under `strace -f -c` and writes their per-syscall call counts to $1, each
# block headed by "# program: WHAT" (bench.c sums the blocks).  Everything
# runs in a scratch directory $2 that is removed afterwards.
set -e
out=$1
tmp=$2
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
rm -rf "$tmp"
mkdir -p "$tmp"
: > "$out"

# record WHAT CMD...: one block of the mix
record() {
	what=$1
	shift
	echo "bench: recording the syscall mix: $what" >&2
	strace -f -qq -c -U name,calls -o "$tmp/calls" "$@" >/dev/null 2>&1 || {
		echo "bench: mix: '$what' failed; left out" >&2
		return 0
	}
	echo "# program: $what" >> "$out"
	cat "$tmp/calls" >> "$out"
}

# a small C file for gcc: includes, so the compiler opens many headers
cat > "$tmp/small.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *s = strdup(argc > 1 ? argv[1] : "x");
	printf("%zu\n", strlen(s));
	free(s);
	return 0;
}
EOF

# python: imports, a thread pool doing file and hashing work, a subprocess
cat > "$tmp/work.py" <<'EOF'
import hashlib, json, os, subprocess, sys, tempfile, threading
from concurrent.futures import ThreadPoolExecutor
def work(i):
    path = os.path.join(sys.argv[1], "f%d.json" % i)
    with open(path, "w") as f:
        json.dump({"i": i, "d": list(range(200))}, f)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
with ThreadPoolExecutor(2) as ex:
    list(ex.map(work, range(200)))
subprocess.run(["true"])
os.listdir(sys.argv[1])
EOF

record "tar cf - /usr/share/doc/{gcc-12-base,python3,apt} | gzip" \
	sh -c 'tar cf - /usr/share/doc/gcc-12-base /usr/share/doc/python3 /usr/share/doc/apt \
		2>/dev/null | gzip -1 > /dev/null'
record "python3: json, hashlib, 2 threads over 200 files, a subprocess" \
	"$py" "$tmp/work.py" "$tmp"
record "gcc -O2 -c of a 10-line C file" gcc -O2 -c "$tmp/small.c" -o "$tmp/small.o"
record "find /usr/include -name '*.h' | head; grep -rl PATH_MAX /usr/include/linux" \
	sh -c 'find /usr/include -name "*.h" | head -2000 | wc -l; grep -rl PATH_MAX /usr/include/linux'
record "sh: a 300-iteration loop with builtins, cat, ls, date" \
	sh -c 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo $i > '"$tmp"'/n;
		[ $((i % 30)) -eq 0 ] && { cat '"$tmp"'/n; ls '"$tmp"'; date; }; done'
rm -rf "$tmp"
