#!/bin/sh
# Runs every test binary in $1 (default build/tests) and every tests/*.sh,
# counts the "ok" / "FAIL" / "SKIP" lines they print and ends with
# "N passed, N failed, N skipped".  A test program that crashes or exits
# non-zero without printing a FAIL counts as one failure.
dir=${1:-build/tests}
label=${2:-}
pass=0; fail=0; skip=0
log=$(mktemp)
for t in "$dir"/*; do
	[ -x "$t" ] || continue
	run_one() { "$t" > "$log" 2>&1; }
	case "$t" in *.sh) run_one() { sh "$t" > "$log" 2>&1; } ;; esac
	t0=$(date +%s)
	run_one; rc=$?
	secs=$(( $(date +%s) - t0 ))
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^SKIP ' "$log")
	grep -E '^(FAIL|SKIP) ' "$log" | sed "s|^|$(basename "$t"): |"
	# the assurance numbers issue 6 asks to see at the end of a run
	grep -E '^# (escapes tried|random policies)|^ok fuzz_.* runs' "$log" | \
		sed "s|^# |assurance: $(basename "$t"): |; s|^ok |assurance: fuzz smoke: |"
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $(basename "$t"): exited with status $rc"; tail -5 "$log"; f=1
	fi
	echo "  $(basename "$t"): $p passed, $f failed, $s skipped (${secs}s)"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
rm -f "$log"
echo "${label}$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
