#!/bin/sh
# The example programs of the seed documents (seeds/001, seeds/004), kept as
# C files in tests/seeds/, built unchanged against muzzle and run:
#   - strict mode: prints steps 1 and 2, then is killed by SIGKILL;
#   - the libseccomp example: prints "No restrictions yet", then dies by
#     SIGSYS (the shell says "Bad system call"), also with SCMP_ACT_TRAP;
#   - the slides' snippets: write still works after the filter is loaded.
# Built twice: against the build tree (-I include -L build -lmuzzle) and
# against a `make install DESTDIR=...` copy through pkg-config.
top=${MUZZLE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${MUZZLE_BUILD:-$top/build}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A sanitized libmuzzle needs the sanitizer runtimes at link time.
san=""
if nm "$build/libmuzzle.a" 2>/dev/null | grep -q __asan_; then
	san="-fsanitize=address,undefined"
fi

# run NAME BINARY: runs it on a pty (so stdio is line buffered, as in the
# article's terminal) inside sh, and leaves the output in $tmp/NAME.out
run() {
	LD_LIBRARY_PATH="$build" ASAN_OPTIONS=detect_leaks=0 \
		script -qec "sh -c '$2; echo status=\$?'" /dev/null 2>&1 | tr -d '\r' > "$tmp/$1.out"
}

# expect NAME PATTERN: the output has a line matching PATTERN
expect() {
	grep -q -- "$2" "$tmp/$1.out"
}

# not_expect NAME PATTERN
not_expect() {
	! grep -q -- "$2" "$tmp/$1.out"
}

report() {
	if [ "$2" = 0 ]; then
		echo "ok $1"
	else
		echo "FAIL $1: $3"; sed 's/^/    /' "$tmp/$1.out" 2>/dev/null | head -8
	fi
}

check_strict() {
	name=$1; bin=$2
	run "$name" "$bin"
	expect "$name" '^Step 1: no restrictions yet' &&
	expect "$name" '^Step 2: entering the strict mode' &&
	not_expect "$name" 'YOU SHOULD NOT SEE THIS' &&
	expect "$name" '^status=137$'	# 128 + SIGKILL
	report "$name" $? "want steps 1 and 2, then death by SIGKILL"
}

check_libseccomp() {
	name=$1; bin=$2
	run "$name" "$bin"
	expect "$name" '^No restrictions yet' &&
	not_expect "$name" 'YOU SHOULD NOT SEE THIS' &&
	expect "$name" 'Bad system call' &&
	expect "$name" '^status=159$'	# 128 + SIGSYS
	report "$name" $? "want \"No restrictions yet\", then \"Bad system call\" (SIGSYS)"
}

check_slides() {
	name=$1; bin=$2
	run "$name" "$bin"
	expect "$name" '^filter loaded: write still works' &&
	expect "$name" '^status=0$'
	report "$name" $? "want the message and exit status 0"
}

# build NAME SRC FLAGS...: compile, or print FAIL and return 1
build() {
	name=$1; src=$2; shift 2
	if ! $cc "$top/tests/seeds/$src" -o "$tmp/$name" "$@" $san > "$tmp/$name.cc" 2>&1; then
		echo "FAIL $name: does not build:"; sed 's/^/    /' "$tmp/$name.cc" | head -8
		return 1
	fi
}

check_all() {
	tag=$1; shift
	build "${tag}_seccomp1_strict" seccomp1_strict.c "$@" &&
		check_strict "${tag}_seccomp1_strict" "$tmp/${tag}_seccomp1_strict"
	build "${tag}_seccomp2_kill" seccomp2_kill.c "$@" &&
		check_libseccomp "${tag}_seccomp2_kill" "$tmp/${tag}_seccomp2_kill"
	build "${tag}_seccomp2_trap" seccomp2_trap.c "$@" &&
		check_libseccomp "${tag}_seccomp2_trap" "$tmp/${tag}_seccomp2_trap"
	build "${tag}_slides" slides_libseccomp.c "$@" &&
		check_slides "${tag}_slides" "$tmp/${tag}_slides"
}

if ! command -v script > /dev/null; then
	echo "SKIP seeds: script(1) (bsdutils) is needed for a pty"
	exit 0
fi

# 1. the build tree, shared library
check_all tree -I"$top/include" -L"$build" -lmuzzle
# 2. the build tree, static library
check_all static -I"$top/include" -L"$build" -Wl,-Bstatic -lmuzzle -Wl,-Bdynamic

# SCMP_SYS(name) must give the numbers libseccomp's own headers give: they
# are compiled into programs.  Names the system's uapi headers are too old
# for do not compile with either header and are left out.
scmp_sys_values() {
	[ -f /usr/include/seccomp-syscalls.h ] || { echo "SKIP scmp_sys_values: no libseccomp-dev headers"; return; }
	grep -o '__SNR_[a-z0-9_]*' /usr/include/seccomp-syscalls.h | sed 's/__SNR_//' | sort -u > "$tmp/names"
	for pass in 1 2 3; do
		{ echo '#include <stdio.h>'; echo '#include <seccomp.h>'; echo 'int main(void) {'
		  sed 's/.*/printf("& %d\\n", (int)SCMP_SYS(&));/' "$tmp/names"
		  echo 'return 0; }'; } > "$tmp/sysv.c"
		{ $cc "$tmp/sysv.c" -o "$tmp/sysv_lib" 2>&1
		  $cc -I"$top/include" "$tmp/sysv.c" -o "$tmp/sysv_mz" 2>&1; } |
			sed -n "s/.*__NR_\([a-z0-9_]*\).* undeclared.*/\1/p" | sort -u > "$tmp/bad"
		[ -s "$tmp/bad" ] || break
		grep -vxFf "$tmp/bad" "$tmp/names" > "$tmp/names2"; mv "$tmp/names2" "$tmp/names"
	done
	if [ ! -x "$tmp/sysv_lib" ] || [ ! -x "$tmp/sysv_mz" ]; then
		echo "FAIL scmp_sys_values: the comparison program does not build"; return
	fi
	"$tmp/sysv_lib" > "$tmp/sysv_lib.out"; "$tmp/sysv_mz" > "$tmp/sysv_mz.out"
	n=$(wc -l < "$tmp/sysv_lib.out")
	if [ "$n" -gt 400 ] && cmp -s "$tmp/sysv_lib.out" "$tmp/sysv_mz.out"; then
		echo "ok scmp_sys_values"
	else
		echo "FAIL scmp_sys_values: $n names; differences:"
		diff "$tmp/sysv_lib.out" "$tmp/sysv_mz.out" | head -5 | sed 's/^/    /'
	fi
}
scmp_sys_values

# The other constants programs carry: every SCMP_ARCH_*, SCMP_ACT_*,
# SCMP_FLTATR_*, SCMP_CMP_* and SCMP_VER_* libseccomp's header defines must
# exist in ours with the same value (the version may be newer).
scmp_constants() {
	[ -f /usr/include/seccomp.h ] || { echo "SKIP scmp_constants: no libseccomp-dev headers"; return; }
	sed -n 's/^#define[[:space:]]\{1,\}\(SCMP_\(ARCH\|ACT\)_[A-Z0-9_]*\)[[:space:]].*/\1/p' \
		/usr/include/seccomp.h | sort -u > "$tmp/consts"
	sed -n 's/^[[:space:]]*\(SCMP_\(FLTATR\|CMP\)_[A-Z0-9_]*\)[[:space:]]*=.*/\1/p' \
		/usr/include/seccomp.h | sort -u >> "$tmp/consts"
	{ echo '#include <stdio.h>'; echo '#include <seccomp.h>'; echo 'int main(void) {'
	  grep -v '^SCMP_ACT_\(ERRNO\|TRACE\)$' "$tmp/consts" |
		sed 's/.*/printf("& %lu\\n", (unsigned long)(&));/'
	  echo 'printf("ERRNO %u TRACE %u\\n", SCMP_ACT_ERRNO(4093), SCMP_ACT_TRACE(65535));'
	  echo 'return 0; }'; } > "$tmp/consts.c"
	if ! $cc "$tmp/consts.c" -o "$tmp/c_lib" 2> "$tmp/c.err" ||
	   ! $cc -I"$top/include" "$tmp/consts.c" -o "$tmp/c_mz" 2>> "$tmp/c.err"; then
		echo "FAIL scmp_constants: does not build:"; head -5 "$tmp/c.err" | sed 's/^/    /'
		return
	fi
	"$tmp/c_lib" > "$tmp/c_lib.out"; "$tmp/c_mz" > "$tmp/c_mz.out"
	n=$(wc -l < "$tmp/c_lib.out")
	if [ "$n" -gt 40 ] && cmp -s "$tmp/c_lib.out" "$tmp/c_mz.out"; then
		echo "ok scmp_constants"
	else
		echo "FAIL scmp_constants: $n constants; differences:"
		diff "$tmp/c_lib.out" "$tmp/c_mz.out" | head -5 | sed 's/^/    /'
	fi
}
scmp_constants

# 3. an installed copy, found through pkg-config (default PREFIX, so the
#    muzzle.pc the build made agrees with where files go)
dest="$tmp/dest"
# a sanitized build tree must be linked with the same runtime
if ! make -s -C "$top" install B="$build" DESTDIR="$dest" ${san:+SAN="$san"} \
	> "$tmp/install.log" 2>&1; then
	echo "FAIL seeds_install: make install failed:"; tail -5 "$tmp/install.log" | sed 's/^/    /'
	exit 0
fi
pcfile=$(find "$dest" -name muzzle.pc | head -1)
if [ -z "$pcfile" ]; then
	echo "FAIL seeds_install: no muzzle.pc installed"
	exit 0
fi
pcq() { PKG_CONFIG_PATH=$(dirname "$pcfile") PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config "$@" muzzle; }
incdir=$dest$(PKG_CONFIG_PATH=$(dirname "$pcfile") pkg-config --variable=includedir muzzle)
libdir=$dest$(PKG_CONFIG_PATH=$(dirname "$pcfile") pkg-config --variable=libdir muzzle)
if [ -f "$incdir/muzzle/seccomp.h" ] && [ -f "$incdir/muzzle/seccomp-syscalls.h" ] &&
   [ -f "$incdir/muzzle/muzzle.h" ]; then
	echo "ok seeds_install_headers"
else
	echo "FAIL seeds_install_headers: seccomp.h, seccomp-syscalls.h, muzzle.h not all in $incdir/muzzle"
fi
flags=$(pcq --cflags --libs)
case "$flags" in
*"-I$incdir/muzzle"*"-L$libdir"*) echo "ok seeds_pkgconfig_flags" ;;
*) echo "FAIL seeds_pkgconfig_flags: got '$flags'" ;;
esac
build=$libdir
check_all installed $flags
