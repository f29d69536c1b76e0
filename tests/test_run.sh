#!/bin/sh
# muzzle run: enforcement, blocked-call lines, exit status, error paths.
# Every filter is loaded in a child of the muzzle binary, never in this shell.
M="$MUZZLE_BUILD/muzzle"
TOP="${MUZZLE_TOP:-.}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
# run_m NAME ARGS...: runs muzzle, status in $rc, stdout in out, stderr in err
run_m() { timeout 120 "$M" "$@" >out 2>err; rc=$?; }
expect_rc() { # NAME WANT
	if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1" "exit $rc, want $2; stderr: $(head -3 err)"; fi
}
expect_grep() { # NAME FILE PATTERN
	if grep -Eq -- "$3" "$2"; then ok "$1"; else fail "$1" "no /$3/ in $2: $(head -3 "$2")"; fi
}

if [ ! -x "$M" ]; then
	echo "FAIL setup: $M not built"
	exit 1
fi
have() { command -v "$1" >/dev/null 2>&1; }

# --- the seed's Docker example -------------------------------------------------
# The article's profile kills by default, so busybox could not even start; the
# runnable form allows by default and denies chmod with EPERM.
cat > chmod-allow.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"chmod","action":"SCMP_ACT_ERRNO"}]}
EOF
cat > chmod-kill.json <<'EOF'
{"defaultAction":"SCMP_ACT_KILL","syscalls":[{"name":"chmod","action":"SCMP_ACT_ERRNO"}]}
EOF
echo x > file
if have busybox; then
	run_m run -p chmod-allow.json -- busybox chmod 400 file
	expect_grep "seed: busybox chmod under a chmod-denying profile" err "Operation not permitted"
	expect_rc "seed: busybox chmod exit status" 1
	if [ "$(stat -c %a file)" != 400 ]; then
		ok "seed: mode unchanged"
	else
		fail "seed: mode unchanged" "chmod went through"
	fi
	run_m run -p chmod-allow.json -- busybox echo still-runs
	expect_grep "seed: other calls allowed" out "still-runs"
	# the article's own profile: the first call after loading (execve) is killed
	run_m run -p chmod-kill.json -- busybox chmod 400 file
	expect_rc "seed: default KILL kills at execve (SIGSYS)" 159
	expect_grep "seed: default KILL names execve" err \
		'^muzzle: blocked execve\(.*\) in pid [0-9]+ \(comm "[^"]*"\): KILL_THREAD$'
else
	echo "SKIP seed: busybox-static not installed"
fi

# --- blocked-call lines -----------------------------------------------------------
cat > trap.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod","fchmodat"],"action":"SCMP_ACT_TRAP"}]}
EOF
run_m run -p trap.json -- busybox chmod 400 file
expect_rc "trap: process dies of SIGSYS" 159
expect_grep "trap: blocked line" err '^muzzle: blocked (chmod|fchmodat)\(.*\) in pid [0-9]+ \(comm "busybox"\): TRAP$'
if [ "$(grep -c '^muzzle: blocked' err)" -eq 1 ]; then ok "trap: one line"; else
	fail "trap: one line" "$(cat err)"; fi

cat > ptrace-kill.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_KILL_PROCESS"}]}
EOF
if have python3; then
	# several threads alive when the process is killed: still exactly one line
	run_m run -p ptrace-kill.json -- python3 -c '
import ctypes, threading, time
ev = threading.Event()
for i in range(3):
    threading.Thread(target=ev.wait, daemon=True).start()
ctypes.CDLL(None).ptrace(16, 1234, 0, 0)
print("not reached")'
	expect_rc "kill: process dies of SIGSYS" 159
	expect_grep "kill: blocked line with PTRACE_ATTACH" err \
		'^muzzle: blocked ptrace\(PTRACE_ATTACH, 1234, 0, 0\) in pid [0-9]+ \(comm "python3"\): KILL_PROCESS$'
	if [ "$(grep -c '^muzzle: blocked' err)" -eq 1 ]; then ok "kill: one line for a threaded process"
	else fail "kill: one line for a threaded process" "$(cat err)"; fi
	if grep -q "not reached" out; then fail "kill: call never returned" "it did"; else
		ok "kill: call never returned"; fi
else
	echo "SKIP kill: python3 missing"
fi

# KILL_THREAD of one thread: the line, and the process lives on
cat > thread-kill.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getcpu"],"action":"SCMP_ACT_KILL_THREAD"}]}
EOF
if have python3; then
	run_m run -p thread-kill.json -- python3 -c '
import ctypes, threading
t = threading.Thread(target=lambda: ctypes.CDLL(None).syscall(309, 0, 0, 0), daemon=True)
t.start(); t.join(5)
print("main lives")'
	expect_grep "kill thread: blocked line" err \
		'^muzzle: blocked getcpu\(0, 0, 0\) in pid [0-9]+ \(comm "[^"]*"\): KILL_THREAD$'
	expect_grep "kill thread: the rest of the process goes on" out '^main lives$'
fi

# an ERRNO denial is no kill: no line
run_m run -p chmod-allow.json -- busybox chmod 400 file
if grep -q '^muzzle: blocked' err; then fail "errno: no blocked line" "$(cat err)"; else
	ok "errno: no blocked line"; fi

# --- exit status ---------------------------------------------------------------------
run_m run -p allow -- sh -c 'exit 7'
expect_rc "status: exit code passed through" 7
run_m run -p allow -- sh -c 'kill -TERM $$'
expect_rc "status: signal death as 128+N" 143
run_m run -p allow -- true
expect_rc "status: success" 0

# SIGTERM to muzzle reaches the command
rm -f started
"$M" run -p allow -- sh -c 'echo > started; exec sleep 300' >/dev/null 2>&1 &
mpid=$!
i=0
while [ ! -e started ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $mpid
wait $mpid
rc=$?
expect_rc "status: SIGTERM forwarded to the command" 143

# --no-trace: enforced all the same, no lines
run_m run --no-trace -p trap.json -- busybox chmod 400 file
expect_rc "no-trace: still enforced" 159
if grep -q '^muzzle: blocked' err; then fail "no-trace: no lines" "$(cat err)"; else ok "no-trace: no lines"; fi
# Under a debugger muzzle cannot watch its child: it warns and still enforces
if have strace; then
	# (LeakSanitizer cannot run under ptrace: off for a sanitizer build)
	ASAN_OPTIONS=detect_leaks=0 timeout 120 strace -f -o /dev/null "$M" run -p trap.json -- \
		busybox chmod 400 file >out 2>err
	rc=$?
	expect_rc "traced muzzle: still enforced" 159
	expect_grep "traced muzzle: one warning line" err '^muzzle run: warning: cannot watch the command'
fi

# --- error paths ------------------------------------------------------------------------
run_m run -p allow -- no-such-command-muzzle
expect_rc "error: command not found is 127" 127
expect_grep "error: command not found line" err '^muzzle run: no-such-command-muzzle: command not found$'
echo 'not a program' > notexec
chmod 644 notexec
run_m run -p allow -- ./notexec
expect_rc "error: not executable is 126" 126
expect_grep "error: not executable line" err '^muzzle run: \./notexec: Permission denied$'
run_m run -p does-not-exist.json -- true
expect_rc "error: missing policy file" 2
expect_grep "error: missing policy file line" err '^muzzle run: .*does-not-exist.json'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ {"names": ["read"], ' > bad.json
run_m run -p bad.json -- true
expect_rc "error: policy that does not parse" 3
if [ "$(wc -l < err)" -eq 1 ] && grep -q '^muzzle run: ' err; then ok "error: one line for a bad policy"
else fail "error: one line for a bad policy" "$(cat err)"; fi
run_m run -p chmod-allow.json --format nosuch -- true
expect_rc "error: unknown format name" 2
run_m run -p chmod-allow.json --format minijail -- true
expect_rc "error: policy read as the wrong format" 3
run_m run -p allow --bogus -- true
expect_rc "error: unknown option" 2
run_m run -p allow
expect_rc "error: no command" 2
# The kernel refuses the filter: the outer muzzle denies seccomp(2) to the
# inner one, whose child then cannot load its filter.
cat > no-seccomp.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["seccomp"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}
EOF
run_m run --no-trace -p no-seccomp.json -- "$M" run -p allow -- true
expect_rc "error: filter the kernel refuses" 4
expect_grep "error: kernel refusal line" err '^muzzle run: the kernel refused the filter: Operation not permitted$'
# execve itself denied: the child reports it, not a silent 126
cat > no-exec.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}
EOF
run_m run -p no-exec.json -- true
expect_rc "error: execve denied by the policy" 126
expect_grep "error: execve denied line" err 'execve failed: Operation not permitted'

# --- strict mode ------------------------------------------------------------------------
run_m run --strict -- true
expect_rc "strict: killed with SIGKILL" 137
expect_grep "strict: names the call" err '^muzzle: blocked execve\(.*\): KILL \(strict mode\)$'

# --- built-in default ------------------------------------------------------------------------
run_m run -- sh -c 'echo hello | tr a-z A-Z'
expect_grep "default: ordinary pipeline runs" out '^HELLO$'
expect_rc "default: ordinary pipeline status" 0
if have python3; then
	# known but denied: EPERM; clone3: ENOSYS; a number no table knows: ENOSYS
	run_m run -- python3 -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def err(*a):
    ctypes.set_errno(0)
    libc.syscall(*a)
    return ctypes.get_errno()
print(err(250, 0, 0, 0), err(435, 0, 0), err(1000, 0), err(272, 0x10000000))'
	expect_grep "default: keyctl EPERM, clone3 ENOSYS, unknown ENOSYS, unshare(NEWUSER) EPERM" out '^1 38 38 1$'
fi

# The built-in default decides every call muzzle knows as Docker's own profile
# does (as Docker applies it on x86_64); only numbers no table names differ:
# ENOSYS here, EPERM there.
DOCKER="$TOP/../shared/profiles/docker-default.json"
[ -f "$DOCKER" ] || DOCKER=/work/shared/profiles/docker-default.json
if [ -f "$DOCKER" ] && [ "$(uname -m)" = x86_64 ]; then
	timeout 120 "$M" diff default "$DOCKER" > diff.out 2>diff.err
	if [ -s diff.out ] && ! grep -v ' nr=[0-9]*: A=ERRNO(38) B=ERRNO(1)$' diff.out | grep -q .; then
		ok "default: same as Docker's profile but for unknown numbers"
	else
		fail "default: same as Docker's profile but for unknown numbers" \
			"$(grep -v ' nr=[0-9]*: A=ERRNO(38) B=ERRNO(1)$' diff.out | head -3) $(head -2 diff.err)"
	fi
else
	echo "SKIP default: Docker's profile not found or not x86_64"
fi

# --- --fd: the filter handed to the program instead of loaded -------------------------------
run_m run -p chmod-allow.json --fd 5 -- sh -c 'busybox chmod 400 file && od -An -tx1 -N8 <&5'
expect_rc "fd: not loaded by muzzle" 0
expect_grep "fd: raw filter on the fd" out '^ 20 00 00 00 04 00 00 00$'
if have bwrap && bwrap --ro-bind / / true 2>/dev/null; then
	run_m run -p trap.json --fd 5 -- bwrap --seccomp 5 --ro-bind / / --bind "$T" "$T" busybox chmod 400 "$T/file"
	expect_rc "fd: bwrap loads it" 159
	expect_grep "fd: blocked line under bwrap" err '^muzzle: blocked (chmod|fchmodat)\(.*TRAP$'
else
	echo "SKIP fd: bwrap missing or not usable here"
fi
exit 0
