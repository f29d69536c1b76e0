# Sourced by test_learn.sh and test_learn_ebpf.sh (not a test itself): the
# learn -> run round trip both backends must pass.  Needs M, ok and fail.
# round_trip NAME PROFILE-OPTIONS -- CMD...: learn, then run under the
# profile; same stdout and status both times, and the profile must deny
# something the run never did (busybox chmod).
round_trip() {
	name=$1; shift
	opts=""
	while [ "$1" != "--" ]; do opts="$opts $1"; shift; done
	shift
	rm -f prof
	# shellcheck disable=SC2086
	timeout 300 "$M" learn -o prof $opts -- "$@" >learn.out 2>learn.err; lrc=$?
	if [ ! -s prof ]; then fail "$name: learn" "no profile (exit $lrc): $(head -3 learn.err)"; return; fi
	timeout 300 "$M" run -p prof -- "$@" >run.out 2>run.err; rrc=$?
	if [ "$lrc" -eq "$rrc" ] && cmp -s learn.out run.out && [ -s run.out ]; then
		ok "$name: same result under the learned profile"
	else
		fail "$name: same result under the learned profile" \
			"learn exit $lrc, run exit $rrc; $(head -3 run.err)"
	fi
	if grep -q '^muzzle: blocked' run.err; then fail "$name: nothing blocked" "$(cat run.err)"
	else ok "$name: nothing blocked"; fi
	echo z > other
	timeout 60 "$M" run -p prof -- busybox chmod 400 other 2>/dev/null
	if [ "$(stat -c %a other)" != 400 ]; then ok "$name: profile is an allow-list"
	else fail "$name: profile is an allow-list" "busybox chmod went through"; fi
	rm -f other
}
