#!/bin/sh
# Adds up the closing "N passed, N failed, N skipped" lines of each log given.
pass=0; fail=0; skip=0
for log in "$@"; do
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	[ -n "$line" ] || { fail=$((fail + 1)); continue; }
	set -- $(echo "$line" | sed -E 's/.*[^0-9]?([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
	pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3))
done
echo "$pass passed, $fail failed, $skip skipped"
