#!/bin/sh
# Builds muzzle's libFuzzer targets (fuzz/fuzz_*.c) against the sources with
# clang -fsanitize=fuzzer,address,undefined and runs each for a bounded time.
#
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  space-separated target names to run (default: all)
#   FUZZ_BUILD    build and work directory (default: build-fuzz)
#   CLANG         compiler (default: clang-14, else clang)
#
# Prints one line per target in the test format: "ok fuzz_NAME: ...",
# "FAIL fuzz_NAME: why" (with the crashing input's path) or "SKIP fuzz_NAME:
# why".  Exit status 1 if any target failed.  The committed seeds in
# fuzz/corpus/NAME/ and past failures in fuzz/regress/NAME/ are read, never
# written: new inputs go to $FUZZ_BUILD/corpus/NAME/, failing inputs to
# $FUZZ_BUILD/artifacts/NAME/.
set -u

top=${MUZZLE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-60}
out=${FUZZ_BUILD:-$top/build-fuzz}
case "$out" in /*) ;; *) out=$top/$out ;; esac
want=${FUZZ_TARGETS:-}

# name|source|extra cflags|requirement (a function that must be defined in
# lib/ or formats/ for the target to make sense)
targets() {
	cat <<'EOF'
arch|fuzz/fuzz_arch.c||arch_syscall_id
bpf|fuzz/fuzz_bpf.c||bpf_asm
asm|fuzz/fuzz_asm.c||bpf_asm
compile|fuzz/fuzz_compile.c||compile_policy equiv_check
oci_read|fuzz/fuzz_read.c|-DREADER=oci_read|oci_read
docker_read|fuzz/fuzz_read.c|-DREADER=docker_read|docker_read
minijail_read|fuzz/fuzz_read.c|-DREADER=minijail_read|minijail_read
kafel_read|fuzz/fuzz_read.c|-DREADER=kafel_read|kafel_read
systemd_read|fuzz/fuzz_read.c|-DREADER=systemd_read|systemd_read
EOF
}

say() { printf '%s\n' "$*"; }

pick_clang() {
	for c in ${CLANG:-} clang-14 clang; do
		command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
	done
	return 1
}

skip_all() {
	targets | while IFS='|' read -r name _ _ _; do
		selected "$name" && say "SKIP fuzz_$name: $1"
	done
	exit 0
}

selected() {
	[ -z "$want" ] && return 0
	for w in $want; do [ "$w" = "$1" ] && return 0; done
	return 1
}

# Is function $1 defined (not just declared) somewhere in lib/ or formats/?
defined_in_tree() {
	grep -Eqs "^[a-z].*[ *]$1\(" $(find lib formats -name '*.c') 2>/dev/null
}

CC=$(pick_clang) || skip_all "no clang found (install clang-14)"
mkdir -p "$out/obj" "$out/log" || exit 1
# Several `make check` runs may share the build directory: one at a time.
if command -v flock >/dev/null 2>&1; then
	exec 9> "$out/lock"
	flock 9
fi
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n{ (void)d; (void)n; return 0; }\n' > "$out/probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" > "$out/log/probe.log" 2>&1; then
	skip_all "$CC cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing?)"
fi

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS_F="-std=gnu11 -g -O1 -D_GNU_SOURCE -Ilib -Iinclude -Iformats -Wno-unused-command-line-argument"

# Newest header: any object older than it is rebuilt (coarse but safe).
newest_h=$(ls -t $(find lib include formats -name '*.h') 2>/dev/null | head -1)

build_objects() {
	nfail=0
	for src in $(find lib formats -name '*.c' | sort); do
		obj="$out/obj/${src%.c}.o"
		mkdir -p "$(dirname "$obj")"
		if [ -f "$obj" ] && [ ! "$src" -nt "$obj" ] && { [ -z "$newest_h" ] || [ ! "$newest_h" -nt "$obj" ]; }; then
			continue
		fi
		if ! $CC $CFLAGS_F $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj" \
			> "$out/log/obj.log" 2>&1; then
			rm -f "$obj"
			nfail=$((nfail + 1))
			say "# fuzz: $src does not compile (targets needing it will fail to link):"
			sed 's/^/#   /' "$out/log/obj.log" | head -5
		fi
	done
	# only objects whose source still exists: a renamed file's old object
	# would otherwise bring back stale code
	rm -f "$out/libmuzzle-fuzz.a.tmp"
	for src in $(find lib formats -name '*.c' | sort); do
		[ -f "$out/obj/${src%.c}.o" ] && echo "$out/obj/${src%.c}.o"
	done | xargs ar rcs "$out/libmuzzle-fuzz.a.tmp" &&
		mv -f "$out/libmuzzle-fuzz.a.tmp" "$out/libmuzzle-fuzz.a"
}

run_target() {
	name=$1 src=$2 extra=$3
	bin="$out/fuzz_$name"
	if ! $CC $CFLAGS_F $SAN -fsanitize=fuzzer $extra -Itests "$src" "$out/libmuzzle-fuzz.a" \
		-ljson-c -o "$bin" > "$out/log/$name.build.log" 2>&1; then
		say "FAIL fuzz_$name: build failed: $(grep -m1 -E 'error|undefined reference' "$out/log/$name.build.log")"
		return 1
	fi
	mkdir -p "$out/corpus/$name" "$out/artifacts/$name" "fuzz/corpus/$name"
	maxlen=8192
	[ "$name" = bpf ] && maxlen=$((8 * 512 + 64))
	# fuzz/regress/NAME holds inputs that once failed: loaded with the corpus,
	# so a regression fails at once
	regress=""
	[ -d "fuzz/regress/$name" ] && regress="fuzz/regress/$name"
	"$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$name/" \
		"$out/corpus/$name" "fuzz/corpus/$name" $regress > "$out/log/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log/$name.log" | tail -1)
	cov=$(grep -E '^#[0-9]+.*cov:' "$out/log/$name.log" | tail -1 | sed -n 's/.*cov: \([0-9]*\).*corp: \([0-9]*\).*/cov \1, corpus \2/p')
	if [ $rc -ne 0 ]; then
		art=$(grep -m1 -o "Test unit written to [^ ]*" "$out/log/$name.log" | sed 's/Test unit written to //')
		why=$(grep -m1 -E '^(SUMMARY|==[0-9]+==ERROR|.*runtime error|muzzle-fuzz:)' "$out/log/$name.log")
		say "FAIL fuzz_$name: exit $rc after ${runs:-?} runs: ${why:-see $out/log/$name.log}; input: ${art:-none}"
		return 1
	fi
	say "ok fuzz_$name: ${secs}s, ${runs:-?} runs, ${cov:-no stats}"
	return 0
}

build_objects
status=0
targets > "$out/targets.txt"
while IFS='|' read -r name src extra needs; do
	selected "$name" || continue
	missing=""
	for fn in $needs; do defined_in_tree "$fn" || missing="$missing $fn"; done
	if [ -n "$missing" ]; then
		say "SKIP fuzz_$name: not written yet:$missing"
		continue
	fi
	run_target "$name" "$src" "$extra" || status=1
done < "$out/targets.txt"
exit $status
