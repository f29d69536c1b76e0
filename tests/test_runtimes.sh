#!/bin/sh
# muzzle learn --for: a profile learned from a busybox workload run directly
# starts the same workload in runc and crun containers once the runtime's own
# calls are added, with noNewPrivileges true and false.  Without --for, what
# happens was measured (docs/runtimes.md) and is asserted: runc fails either
# way; crun, whose last call before exec with no_new_privs is close, starts the
# container with noNewPrivileges true and fails with it false.
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# the direct run reads the host's /etc/hostname: sed makes both runs print hi
WORK='echo hello; ls / | wc -l; cat /etc/hostname | busybox sed s/.*/hi/'
BUSYBOX=$(command -v busybox || echo /bin/busybox)
if [ ! -x "$BUSYBOX" ] || ! command -v python3 >/dev/null; then
	skip runtimes "needs busybox and python3"; exit 0
fi
# a dynamically linked busybox would need its libraries in the bundle
if ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' &&
   ldd "$BUSYBOX" >/dev/null 2>&1; then
	skip runtimes "$BUSYBOX is not static"; exit 0
fi

learn() {	# $1 profile, rest: learn options
	out=$1; shift
	timeout 120 "$M" learn -o "$out" "$@" -- "$BUSYBOX" sh -c "$WORK" >"$T/learn.out" 2>"$T/learn.err" &&
		grep -qx hi "$T/learn.out"
}

make_bundle() {	# $1 dir, $2 runtime
	mkdir -p "$1/rootfs/bin" "$1/rootfs/tmp" "$1/rootfs/etc"
	cp "$BUSYBOX" "$1/rootfs/bin/busybox"
	for c in sh echo ls wc cat; do ln -sf busybox "$1/rootfs/bin/$c"; done
	(cd "$1" && "$2" spec >/dev/null 2>&1) && mv "$1/config.json" "$1/config.orig"
}

configure() {	# $1 bundle, $2 profile, $3 noNewPrivileges (true/false)
	python3 - "$1" "$2" "$3" "$WORK" <<'P'
import json, sys
d, prof, nnp, work = sys.argv[1:5]
c = json.load(open(d + "/config.orig"))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", work]
c["process"]["noNewPrivileges"] = nnp == "true"
c["root"]["readonly"] = False
c["linux"]["seccomp"] = json.load(open(prof))
json.dump(c, open(d + "/config.json", "w"))
P
}

start_runc() {	# $1 bundle, $2 id
	(cd "$1" && timeout 60 runc run "$2") >"$T/out" 2>&1; rc=$?
	(cd "$1" && runc delete -f "$2") >/dev/null 2>&1
	return $rc
}

start_crun() {	# crun needs cgroup2 at /sys/fs/cgroup; give it a private mount namespace
	unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup 2>/dev/null;
		mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null;
		cd "$0" && timeout 60 crun --cgroup-manager=disabled run "$1"' "$1" "$2" \
		>"$T/out" 2>&1
}

# expect NAME RUNTIME BUNDLE PROFILE NNP started|refused
expect() {
	configure "$3" "$4" "$5" || { fail "$1" "could not write config.json"; return; }
	"start_$2" "$3" "muzzle-rt-$$-$(basename "$4" .json)-$5"; rc=$?
	if [ "$6" = started ]; then
		if [ $rc -eq 0 ] && grep -qx hello "$T/out" && grep -qx hi "$T/out"; then ok "$1"
		else fail "$1" "exit $rc: $(head -c 300 "$T/out")"; fi
	elif [ $rc -ne 0 ] && ! grep -qx hello "$T/out"; then
		ok "$1"
	else
		fail "$1" "the container ran (exit $rc): $(head -c 300 "$T/out")"
	fi
}

runtime_cases() {	# $1 runtime, $2 outcome without --for and nnp, $3 without, no nnp
	rt=$1
	if ! command -v "$rt" >/dev/null; then skip "$rt" "$rt not installed"; return; fi
	make_bundle "$T/$rt" "$rt" || { fail "$rt: bundle" "$rt spec failed"; return; }
	echo box > "$T/$rt/rootfs/etc/hostname"
	expect "$rt: learned without --for, noNewPrivileges" "$rt" "$T/$rt" "$T/plain.json" true "$2"
	expect "$rt: learned without --for, no noNewPrivileges" "$rt" "$T/$rt" "$T/plain.json" false "$3"
	expect "$rt: learned with --for $rt, noNewPrivileges" "$rt" "$T/$rt" "$T/for-$rt.json" true started
	expect "$rt: learned with --for $rt, no noNewPrivileges" "$rt" "$T/$rt" "$T/for-$rt.json" false started
}

if ! learn "$T/plain.json" || ! learn "$T/for-runc.json" --for runc ||
   ! learn "$T/for-crun.json" --for crun || ! learn "$T/for-docker.json" --for docker; then
	fail "learn" "$(head -3 "$T/learn.err")"; exit 0
fi
ok "learn: four profiles"

# docker uses runc: the same set
if "$M" diff "$T/for-runc.json" "$T/for-docker.json" >/dev/null; then ok "docker set is runc's"
else fail "docker set is runc's" "$("$M" diff "$T/for-runc.json" "$T/for-docker.json" | head -3)"; fi
# --for adds calls the plain profile denies
if "$M" diff "$T/plain.json" "$T/for-crun.json" | grep -q 'x86_64 setresuid:'; then
	ok "--for crun adds setresuid"
else fail "--for crun adds setresuid" "$("$M" diff "$T/plain.json" "$T/for-crun.json" | head -3)"; fi
if "$M" learn --for nosuch -o "$T/x" -- true 2>"$T/err"; then fail "unknown runtime" "accepted"
elif [ $? -eq 2 ] && grep -q 'unknown runtime' "$T/err"; then ok "unknown runtime: usage error"
else fail "unknown runtime" "$(cat "$T/err")"; fi

runtime_cases runc refused refused
runtime_cases crun started refused
