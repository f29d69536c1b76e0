#!/bin/sh
# muzzle audit: reports exactly the calls a policy would deny, enforces nothing.
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
run_m() { timeout 120 "$M" "$@" >out 2>err; rc=$?; }
expect_rc() {
	if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1" "exit $rc, want $2; stderr: $(head -3 err)"; fi
}
expect_grep() {
	if grep -Eq -- "$3" "$2"; then ok "$1"; else fail "$1" "no /$3/ in $2: $(head -3 "$2")"; fi
}
# json_check NAME FILE PYTHON-EXPR: the expression sees the report as r
json_check() {
	if python3 - "$2" "$3" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
d = {x["syscall"]: x for x in r["denied"]}
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
	then ok "$1"; else fail "$1" "$3 is false for $(cat "$2")"; fi
}

if [ ! -x "$M" ]; then echo "FAIL setup: $M not built"; exit 1; fi
if ! command -v python3 >/dev/null || ! command -v busybox >/dev/null; then
	echo "SKIP audit: needs python3 and busybox"
	exit 0
fi

# A known program: two chmods and one chown, under a policy denying both
# (one by ERRNO, one by KILL).  Nothing is enforced, so both take effect.
cat > p.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
 {"names":["chmod","fchmodat"],"action":"SCMP_ACT_ERRNO"},
 {"names":["chown","lchown","fchownat"],"action":"SCMP_ACT_KILL_PROCESS"}]}
EOF
echo x > a; echo y > b
run_m audit -p p.json --json -o report.json -- sh -c 'busybox chmod 400 a; busybox chmod 600 b; busybox chown 0 a; exit 3'
expect_rc "audit: exit status is the command's" 3
json_check "audit: exactly chmod and chown" report.json 'sorted(d) == ["chmod", "chown"]'
json_check "audit: chmod counted twice" report.json 'd["chmod"]["count"] == 2'
json_check "audit: chown counted once" report.json 'd["chown"]["count"] == 1'
json_check "audit: actions from the policy" report.json \
	'd["chmod"]["action"] == "ERRNO(1)" and d["chown"]["action"] == "KILL_PROCESS"'
json_check "audit: deciding rules" report.json 'd["chmod"]["rule"] == 0 and d["chown"]["rule"] == 2'
json_check "audit: first arguments (mode 0400)" report.json 'd["chmod"]["first_args"][1] == 0o400'
json_check "audit: first pid is a real pid" report.json 'd["chmod"]["first_pid"] > 1'
json_check "audit: rule location names the file" report.json '"p.json" in d["chown"]["where"]'
json_check "audit: exit status in report" report.json 'r["exit_status"] == 3'
if [ "$(stat -c %a a)" = 400 ] && [ "$(stat -c %a b)" = 600 ]; then ok "audit: nothing enforced"
else fail "audit: nothing enforced" "modes $(stat -c %a a) $(stat -c %a b)"; fi

# The text report on stderr
run_m audit -p p.json -- busybox chmod 644 a
expect_grep "audit: text report header" err '^muzzle audit: p.json would have denied 1 distinct call, 1 time'
expect_grep "audit: text report row" err '^ +1 +x86_64 +chmod +ERRNO\(1\) +[0-9]+ +chmod\(0x[0-9a-f]+, 420\)$'

# Nothing denied
run_m audit -p allow -- busybox true
expect_grep "audit: clean run says so" err 'would have denied nothing'

# Threads and children: every thread's call is counted.
run_m audit -p p.json --json -o t.json -- python3 -c '
import os, threading, subprocess
def f(i): os.chmod("a", 0o600)
ts = [threading.Thread(target=f, args=(i,)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
subprocess.run(["busybox", "chmod", "644", "b"])'
json_check "audit: threads and a child process" t.json 'd["chmod"]["count"] == 5 and sorted(d) == ["chmod"]'

# The built-in default: a namespace-creating unshare is denied with the rule's comment
run_m audit --json -o def.json -- python3 -c '
import ctypes
ctypes.CDLL(None).syscall(272, 0x10000000)
ctypes.CDLL(None).syscall(435, 0, 0)'
json_check "audit: default denies unshare(CLONE_NEWUSER)" def.json \
	'd["unshare"]["action"] == "ERRNO(1)" and "CLONE_NEWUSER" in d["unshare"]["call"]'
json_check "audit: default clone3 is ENOSYS" def.json 'd["clone3"]["action"] == "ERRNO(38)"'
json_check "audit: rule comment reported" def.json '"comment" in d["unshare"]'

# A raw filter as the policy (made from a policy with muzzle itself when it can)
python3 - <<'EOF'
import struct
# x86_64 only: chmod (90) -> ERRNO(1), everything else allowed
ins = [(0x20,0,0,4),(0x15,1,0,0xc000003e),(0x06,0,0,0),(0x20,0,0,0),
       (0x15,0,1,90),(0x06,0,0,0x00050001),(0x06,0,0,0x7fff0000)]
open("f.bpf","wb").write(b"".join(struct.pack("HBBI",*i) for i in ins))
EOF
run_m audit -p f.bpf --json -o f.json -- busybox chmod 400 a
json_check "audit: raw filter as policy" f.json 'sorted(d) == ["chmod"] and d["chmod"]["count"] == 1'

# Errors
run_m audit -p missing.json -- true
expect_rc "audit: missing policy" 2
run_m audit -p allow -- no-such-command-muzzle
expect_rc "audit: command not found" 127
if grep -q 'would have denied' err; then fail "audit: no report without a run" "$(cat err)"
else ok "audit: no report without a run"; fi
exit 0
