#!/bin/sh
# Real sandboxes and runtimes take muzzle's output: bubblewrap (raw BPF on an
# fd), runc and crun (OCI linux.seccomp written by muzzle), crun's raw-BPF
# annotation.  Each denies chmod(2) with EPERM and must still run allowed work.
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

cat > "$T/deny-chmod.json" <<'J'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}
J
BUSYBOX=$(command -v busybox || echo /bin/busybox)

# --- bubblewrap ------------------------------------------------------------
bwrap_case() {
	if ! command -v bwrap >/dev/null; then skip bwrap_seccomp_fd "bubblewrap not installed"; return; fi
	if ! "$M" compile "$T/deny-chmod.json" --to bpf -o "$T/deny.bpf" 2>"$T/err"; then
		fail bwrap_seccomp_fd "compile failed: $(cat "$T/err")"; return
	fi
	out=$(bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --seccomp 3 \
		"$BUSYBOX" sh -c 'echo x > /tmp/f && busybox chmod 400 /tmp/f; echo rc=$?' \
		3< "$T/deny.bpf" 2>&1)
	case "$out" in
	*"Operation not permitted"*rc=1*) ok bwrap_seccomp_fd ;;
	*) fail bwrap_seccomp_fd "expected EPERM from chmod inside bwrap, got: $out" ;;
	esac
	out=$(bwrap --ro-bind / / --dev /dev --proc /proc --seccomp 3 "$BUSYBOX" echo allowed \
		3< "$T/deny.bpf" 2>&1)
	[ "$out" = allowed ] && ok bwrap_allowed_work || fail bwrap_allowed_work "got: $out"
	# muzzle run --fd hands the filter to a program that loads it itself
	out=$("$M" run -p "$T/deny-chmod.json" --fd 3 -- bwrap --ro-bind / / --dev /dev \
		--proc /proc --tmpfs /tmp --seccomp 3 "$BUSYBOX" sh -c \
		'echo x > /tmp/f && busybox chmod 400 /tmp/f; echo rc=$?' 2>&1)
	case "$out" in
	*"Operation not permitted"*rc=1*) ok run_fd_bwrap ;;
	*) fail run_fd_bwrap "got: $out" ;;
	esac
}

# --- OCI bundles -------------------------------------------------------------
make_bundle() {	# $1 dir, $2 runtime
	mkdir -p "$1/rootfs/bin" "$1/rootfs/tmp"
	cp "$BUSYBOX" "$1/rootfs/bin/busybox"
	for c in sh chmod echo; do ln -sf busybox "$1/rootfs/bin/$c"; done
	(cd "$1" && "$2" spec) || return 1
	"$M" compile "$T/deny-chmod.json" --to oci -o "$1/seccomp.json" || return 1
	python3 - "$1" <<'P'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", "echo x > /tmp/f; echo allowed; chmod 400 /tmp/f; echo rc=$?"]
c["root"]["readonly"] = False
c["linux"]["seccomp"] = json.load(open(d + "/seccomp.json"))
json.dump(c, open(d + "/config.json", "w"))
P
}

check_container() {	# $1 case name, $2 output (stdout and stderr interleave in any order)
	case "$2" in *allowed*) ;; *) fail "$1" "allowed work did not run: $2"; return ;; esac
	case "$2" in *"Operation not permitted"*) ;; *) fail "$1" "chmod was not denied: $2"; return ;; esac
	case "$2" in *rc=1*) ok "$1" ;; *) fail "$1" "chmod did not fail with status 1: $2" ;; esac
}

runc_case() {
	if ! command -v runc >/dev/null; then skip runc_oci_profile "runc not installed"; return; fi
	make_bundle "$T/runc" runc || { fail runc_oci_profile "could not build bundle"; return; }
	out=$(cd "$T/runc" && timeout 60 runc run "muzzle-test-$$" 2>&1)
	check_container runc_oci_profile "$out"
}

crun_in_ns() {	# crun needs cgroup2 at /sys/fs/cgroup; give it a private mount namespace
	unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup 2>/dev/null;
		mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null;
		cd "$0" && timeout 60 crun --cgroup-manager=disabled run "$1"' "$@"
}

crun_case() {
	if ! command -v crun >/dev/null; then skip crun_oci_profile "crun not installed"; return; fi
	make_bundle "$T/crun" crun || { fail crun_oci_profile "could not build bundle"; return; }
	out=$(crun_in_ns "$T/crun" "muzzle-c1-$$" 2>&1)
	check_container crun_oci_profile "$out"
	# raw BPF through crun's run.oci.seccomp_bpf_data annotation
	"$M" compile "$T/deny-chmod.json" --to bpf -o "$T/crun.bpf" || { fail crun_bpf_annotation "compile"; return; }
	python3 - "$T/crun" "$T/crun.bpf" <<'P'
import base64, json, sys
d, bpf = sys.argv[1], sys.argv[2]
c = json.load(open(d + "/config.json"))
del c["linux"]["seccomp"]
c.setdefault("annotations", {})["run.oci.seccomp_bpf_data"] = base64.b64encode(open(bpf, "rb").read()).decode()
json.dump(c, open(d + "/config.json", "w"))
P
	out=$(crun_in_ns "$T/crun" "muzzle-c2-$$" 2>&1)
	check_container crun_bpf_annotation "$out"
}

bwrap_case
runc_case
crun_case
