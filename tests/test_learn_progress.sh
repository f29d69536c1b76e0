#!/bin/sh
# muzzle learn keeps a live count of the calls it has seen on stderr when
# stderr is a terminal (script(1) gives it one), and says nothing of the kind
# when it is not; the profile is the same either way.
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

if ! command -v script >/dev/null; then
	echo "SKIP learn progress: script(1) from util-linux is not installed"; exit 0
fi

# on a terminal: the count line, then the line cleared before the summary
script -qec "'$M' learn -o tty.json -- sh -c 'echo hello'" typescript >/dev/null 2>&1; rc=$?
if [ $rc -ne 0 ] || [ ! -s tty.json ]; then
	fail "learn on a terminal" "exit $rc: $(tr '\r' '\n' < typescript | head -3)"
else
	n=$(tr '\r' '\n' < typescript | sed -n 's/^muzzle learn: \([0-9][0-9]*\) calls seen (\([0-9][0-9]*\) distinct).*/\1 \2/p' | tail -1)
	if [ -n "$n" ] && [ "${n% *}" -ge "${n#* }" ] && [ "${n#* }" -gt 0 ]; then
		ok "learn on a terminal: live count ($n)"
	else
		fail "learn on a terminal: live count" "$(tr '\r' '\n' < typescript | head -5)"
	fi
	# the count is erased (\r, erase to end of line) before the summary line
	esc=$(printf '\033')
	if tr '\r' '\n' < typescript | grep -q "^$esc\[Kmuzzle learn: [0-9]* rules"; then
		ok "learn on a terminal: count cleared before the summary"
	else
		fail "learn on a terminal: count cleared before the summary" "$(tr '\r' '\n' < typescript | tail -3)"
	fi
fi

# not a terminal: no count, no escape sequences
"$M" learn -o file.json -- sh -c 'echo hello' >out 2>err; rc=$?
if [ $rc -eq 0 ] && ! grep -q 'calls seen (' err && ! grep -q "$(printf '\033')" err &&
   grep -q 'rules .* written to file.json' err; then
	ok "learn, stderr a file: no live count"
else
	fail "learn, stderr a file: no live count" "exit $rc: $(cat -v err)"
fi
if [ -s tty.json ] && "$M" diff tty.json file.json >/dev/null; then ok "same profile either way"
else fail "same profile either way" "$("$M" diff tty.json file.json 2>&1 | head -3)"; fi
