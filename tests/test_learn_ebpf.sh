#!/bin/sh
# muzzle learn --backend ebpf: profiles learned through the sys_enter
# tracepoint repeat the run under muzzle run, match the notify backend's on
# deterministic programs (i386 int 0x80 calls included), and every way the
# recorder cannot be used is a clear error with no profile written.
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
run_m() { timeout 300 "$M" "$@" >out 2>err; rc=$?; }

if [ ! -x "$M" ]; then echo "FAIL setup: $M not built"; exit 1; fi
if ! command -v python3 >/dev/null || ! command -v busybox >/dev/null; then
	echo "SKIP learn_ebpf: needs python3 and busybox"
	exit 0
fi

# Can this machine load the recorder at all?  Only that is a reason to skip.
run_m learn -o probe.json --backend ebpf -- true
if [ "$rc" -ne 0 ]; then
	case "$(cat err)" in
	*"built without libbpf"*|*"not permitted"*|*"no BTF"*|*"pid namespace"*)
		echo "SKIP learn_ebpf: this machine cannot load the BPF recorder: $(head -1 err)"
		exit 0 ;;
	esac
	fail "learn_ebpf: probe" "exit $rc: $(head -3 err)"
	exit 0
fi

. "${MUZZLE_TOP:-$(dirname "$0")/../..}/tests/learn_lib.sh"

round_trip "ebpf pipeline" --backend ebpf -- sh -c 'echo hello world | tr a-z A-Z | sort | head -1; ls / | wc -l >/dev/null; cat /etc/hostname >/dev/null'

round_trip "ebpf forking program" --backend ebpf -- sh -c '(echo child; exit 0) & wait; for i in 1 2 3; do echo $i | cat; done'

round_trip "ebpf python threads and subprocess" --backend ebpf -- python3 -c '
import threading, subprocess, os
out = []
def work(i):
    r = subprocess.run(["sh", "-c", "echo t%d" % i], capture_output=True, text=True)
    out.append(r.stdout.strip())
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
pid = os.fork()
if pid == 0:
    os._exit(5)
_, st = os.waitpid(pid, 0)
print(sorted(out), os.waitstatus_to_exitcode(st))'

# same_as_notify NAME FORMAT -- CMD...: both backends learn the same policy
# (muzzle diff compares meaning: every ABI, every syscall).
same_as_notify() {
	name=$1; fmt=$2; shift 3
	rm -f e.prof n.prof
	"$M" learn -o e.prof --format "$fmt" --backend ebpf -- "$@" >/dev/null 2>e.err
	"$M" learn -o n.prof --format "$fmt" -- "$@" >/dev/null 2>n.err
	if [ ! -s e.prof ] || [ ! -s n.prof ]; then
		fail "$name: same profile as notify" "$(head -2 e.err) $(head -2 n.err)"; return
	fi
	run_m diff e.prof n.prof
	if [ "$rc" -eq 0 ]; then ok "$name: same profile as notify"
	else fail "$name: same profile as notify" "exit $rc: $(head -5 out) $(head -2 err)"; fi
}

same_as_notify "busybox ls" oci -- busybox ls -l /etc
same_as_notify "busybox sh with children" oci -- busybox sh -c 'busybox echo a | busybox cat; busybox true'

# i386: a program that makes one call (getppid) through int 0x80 only.  The
# raw-BPF format keeps per-ABI rules, so sim can ask about each ABI.
cat > int80.c <<'EOF'
#include <stdio.h>
int main(void)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(64L) : "memory", "r8", "r9", "r10", "r11");
	printf("%s\n", r > 0 ? "int80 ok" : "int80 failed");
	return r > 0 ? 0 : 1;
}
EOF
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP learn_ebpf i386: not an x86_64 machine"
elif ! { cc -static -O2 -o int80 int80.c 2>/dev/null || cc -O2 -o int80 int80.c; }; then
	echo "SKIP learn_ebpf i386: cannot compile a test program"
elif [ "$(./int80 2>/dev/null)" != "int80 ok" ]; then
	echo "SKIP learn_ebpf i386: this kernel does not run int 0x80 calls"
else
	run_m learn -o i386.bpf --format bpf --backend ebpf -- ./int80
	"$M" sim i386.bpf --arch x86 --syscall getppid >x86.sim 2>&1
	"$M" sim i386.bpf --arch x86_64 --syscall getppid >x64.sim 2>&1
	if [ "$rc" -eq 0 ] && grep -q '^action: ALLOW' x86.sim && ! grep -q '^action: ALLOW' x64.sim
	then ok "i386: int 0x80 getppid learned as an x86 rule only"
	else fail "i386: int 0x80 getppid learned as an x86 rule only" \
		"exit $rc: $(head -2 err) / $(grep action x86.sim) / $(grep action x64.sim)"; fi
	run_m run -p i386.bpf -- ./int80
	if [ "$rc" -eq 0 ] && grep -q 'int80 ok' out; then ok "i386: runs under the learned profile"
	else fail "i386: runs under the learned profile" "exit $rc: $(head -2 err)"; fi
	same_as_notify "i386 program" bpf -- ./int80
fi

# The command's status is muzzle's; its descendants are waited for
run_m learn -o st.json --backend ebpf -- sh -c '(sleep 0.3; echo late > late.txt) & exit 4'
if [ "$rc" -eq 4 ] && [ -s st.json ] && [ -s late.txt ]; then
	ok "ebpf: exit status, descendants waited for, profile written"
else
	fail "ebpf: exit status, descendants waited for, profile written" "exit $rc $(head -2 err)"
fi
if python3 -c '
import json, sys
d = json.load(open("st.json"))
names = {n for s in d["syscalls"] for n in s.get("names", [])}
# execve is learned (it arms the recorder); the pipe read before it is not
sys.exit(0 if "execve" in names and "clock_nanosleep" in names else 1)'; then
	ok "ebpf: execve and the descendant's calls learned"
else fail "ebpf: execve and the descendant's calls learned" "$(head -20 st.json)"; fi

# --merge works the same
echo a > x1
rm -f m.json
"$M" learn -o m.json --backend ebpf -- busybox chmod 600 x1 >/dev/null 2>&1
"$M" learn -o m.json --merge --backend ebpf -- busybox mkdir dir1 >/dev/null 2>&1
rmdir dir1 2>/dev/null
chmod 644 x1
run_m run -p m.json -- busybox chmod 600 x1
a=$rc
run_m run -p m.json -- busybox mkdir dir2
if [ "$a" -eq 0 ] && [ "$rc" -eq 0 ] && [ -d dir2 ] && [ "$(stat -c %a x1)" = 600 ]; then
	ok "ebpf merge: both programs run under the merged profile"
else
	fail "ebpf merge: both programs run under the merged profile" "chmod exit $a, mkdir exit $rc"
fi

# Errors: --args has no meaning here; unknown backend; command not found
run_m learn -o a.json --args --backend ebpf -- true
if [ "$rc" -eq 2 ] && grep -q -- '--args' err && [ ! -e a.json ]; then
	ok "error: --args with --backend ebpf"
else fail "error: --args with --backend ebpf" "exit $rc: $(cat err)"; fi
run_m learn -o b.json --backend nosuch -- true
if [ "$rc" -eq 2 ] && [ ! -e b.json ]; then ok "error: unknown backend"
else fail "error: unknown backend" "exit $rc: $(cat err)"; fi
run_m learn -o nf.json --backend ebpf -- no-such-command-muzzle
if [ "$rc" -eq 127 ] && [ ! -e nf.json ]; then ok "error: command not found, no profile"
else fail "error: command not found, no profile" "exit $rc"; fi

# The recorder cannot be loaded (an unprivileged user): one line saying why
# and what to use instead, non-zero, no profile, the command not run
if ! command -v setpriv >/dev/null; then
	echo "SKIP learn_ebpf unprivileged: no setpriv"
else
	mkdir nobody && chmod 777 nobody && chmod 755 "$T"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$M" learn -o nobody/p.json \
		--backend ebpf -- sh -c 'echo ran > nobody/ran' >out 2>err
	rc=$?
	if [ "$rc" -ne 0 ] && [ ! -e nobody/p.json ] && [ ! -e nobody/ran ] && \
	   [ "$(wc -l < err)" -eq 1 ] && grep -q 'backend notify' err; then
		ok "error: BPF load refused: clear error, no profile, nothing run"
	else
		fail "error: BPF load refused: clear error, no profile, nothing run" "exit $rc: $(cat err)"
	fi
fi
exit 0
