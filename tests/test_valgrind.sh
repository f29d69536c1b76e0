#!/bin/sh
# Memcheck: a few of the library's test binaries (from $MUZZLE_BUILD/tests,
# the normal build) under valgrind --leak-check=full.  A binary passes when
# valgrind reports no error and no leak (exit code 99 otherwise) and the test
# itself passes under valgrind.
#
# Chosen: tests that exercise the tables, the model, the compiler, the checker
# and the readers/writers without loading filters.  Left out: test_compat,
# test_bpf, test_live, test_escape, test_random_diff (valgrind does not
# implement seccomp(2), so the API level and kernel probes differ and children
# that load a filter would filter valgrind's own calls) and test_compile (takes
# minutes under memcheck).  MUZZLE_VALGRIND_TESTS="test_a test_b" overrides.
top=${MUZZLE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${MUZZLE_BUILD:-$top/build}
export MUZZLE_TOP="$top"
tests=${MUZZLE_VALGRIND_TESTS:-"test_arch test_systemd test_docker test_minijail"}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP valgrind: valgrind not installed (apt-get install valgrind)"
	exit 0
fi
# ASan and valgrind do not mix: a sanitized build is checked by ASan itself.
if nm "$build/libmuzzle.a" 2>/dev/null | grep -q __asan_; then
	echo "SKIP valgrind: $build is an ASan build (memcheck runs on the normal build)"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# all at once (memcheck is single-threaded; the machine has cores to spare)
for t in $tests; do
	bin="$build/tests/$t"
	[ -x "$bin" ] || continue
	( valgrind -q --error-exitcode=99 --leak-check=full "$bin" > "$tmp/$t.log" 2>&1
	  echo $? > "$tmp/$t.rc" ) &
done
wait
for t in $tests; do
	bin="$build/tests/$t"
	log="$tmp/$t.log"
	if [ ! -x "$bin" ]; then
		echo "FAIL valgrind_$t: $bin not built"
		continue
	fi
	rc=$(cat "$tmp/$t.rc")
	fails=$(grep -c '^FAIL ' "$log")
	if [ "$rc" -eq 99 ]; then
		# the first memcheck report, as one line
		why=$(grep -m1 -A3 -E '^==[0-9]+== [A-Z]' "$log" | sed 's/^==[0-9]*== *//' |
			tr '\n' ' ' | cut -c1-300)
		echo "FAIL valgrind_$t: memcheck: $why"
	elif [ "$rc" -ne 0 ] || [ "$fails" -ne 0 ]; then
		echo "FAIL valgrind_$t: the test fails under valgrind (exit $rc, $fails FAIL lines):" \
			"$(grep -m1 '^FAIL ' "$log")"
	else
		echo "# $t: $(grep -c '^ok ' "$log") cases, no memcheck errors or leaks"
		echo "ok valgrind_$t"
	fi
done
exit 0
