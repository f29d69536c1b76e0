#!/bin/sh
# Adds up the closing "N passed, N failed, N skipped" lines of each log given.
# A log without such a line counts as one failure.
for log in "$@"; do
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	[ -n "$line" ] || line="0 passed, 1 failed, 0 skipped"
	echo "$line"
done | awk '{
	for (i = 2; i <= NF; i++) {
		w = $i; sub(/,$/, "", w)
		if (w == "passed") p += $(i - 1)
		if (w == "failed") f += $(i - 1)
		if (w == "skipped") s += $(i - 1)
	}
} END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
