#!/bin/sh
# muzzle learn: learned profiles, enforced with muzzle run, repeat the run;
# and they are allow-lists (calls the run never made stay denied).
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
run_m() { timeout 300 "$M" "$@" >out 2>err; rc=$?; }

if [ ! -x "$M" ]; then echo "FAIL setup: $M not built"; exit 1; fi
if ! command -v python3 >/dev/null || ! command -v busybox >/dev/null; then
	echo "SKIP learn: needs python3 and busybox"
	exit 0
fi

. "${MUZZLE_TOP:-$(dirname "$0")/../..}/tests/learn_lib.sh"

round_trip "pipeline" -- sh -c 'echo hello world | tr a-z A-Z | sort | head -1; ls / | wc -l >/dev/null; cat /etc/hostname >/dev/null'

round_trip "forking program" -- sh -c '(echo child; exit 0) & wait; for i in 1 2 3; do echo $i | cat; done'

round_trip "python threads and subprocess" -- python3 -c '
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

round_trip "python with --args" --args -- python3 -c '
import socket, threading, subprocess
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.close()
t = threading.Thread(target=lambda: subprocess.run(["true"])); t.start(); t.join()
print("sockets ok")'

# --args narrows: the learned family is allowed, another one is not
timeout 300 "$M" learn -o sock.json --args -- python3 -c 'import socket; socket.socket(socket.AF_INET).close()' >/dev/null 2>&1
run_m run -p sock.json -- python3 -c 'import socket; socket.socket(socket.AF_INET).close(); print("inet ok")'
if grep -q "inet ok" out; then ok "args: learned family allowed"; else fail "args: learned family allowed" "$(tail -2 err)"; fi
run_m run -p sock.json -- python3 -c 'import socket; socket.socket(socket.AF_INET6)'
if grep -q "Operation not permitted" err; then ok "args: other family denied"; else
	fail "args: other family denied" "exit $rc $(tail -2 err)"; fi
if python3 -c '
import json, sys
d = json.load(open("sock.json"))
r = [s for s in d["syscalls"] if "socket" in s.get("names", [])]
sys.exit(0 if r and all(s.get("args") for s in r) else 1)'; then ok "args: socket rule has an == condition"
else fail "args: socket rule has an == condition" "$(grep -A3 socket sock.json | head)"; fi

# The exit status of the learned run is the command's; the profile is still written
run_m learn -o st.json -- sh -c 'exit 4'
if [ "$rc" -eq 4 ] && [ -s st.json ]; then ok "learn: exit status and profile"; else
	fail "learn: exit status and profile" "exit $rc"; fi

# The profile names execve (made by muzzle's child after loading) and the default
if python3 -c '
import json, sys
d = json.load(open("st.json"))
names = {n for s in d["syscalls"] for n in s.get("names", [])}
sys.exit(0 if "execve" in names and d["defaultAction"] == "SCMP_ACT_ERRNO" else 1)'; then
	ok "learn: execve and default ERRNO"; else fail "learn: execve and default ERRNO" "$(head -20 st.json)"; fi

# --merge: two programs learned into one profile; both run under it
rm -f m.json
"$M" learn -o m.json -- busybox chmod 600 x1 >/dev/null 2>&1
echo a > x1
"$M" learn -o m.json -- busybox chmod 600 x1 >/dev/null 2>&1
"$M" learn -o m.json --merge -- busybox mkdir dir1 >/dev/null 2>&1
rmdir dir1 2>/dev/null
chmod 644 x1
run_m run -p m.json -- busybox chmod 600 x1
a=$rc
run_m run -p m.json -- busybox mkdir dir2
if [ "$a" -eq 0 ] && [ "$rc" -eq 0 ] && [ -d dir2 ] && [ "$(stat -c %a x1)" = 600 ]; then
	ok "merge: both programs run under the merged profile"
else
	fail "merge: both programs run under the merged profile" "chmod exit $a, mkdir exit $rc"
fi
"$M" learn -o nm.json -- busybox mkdir dir3 >/dev/null 2>&1
chmod 644 x1
run_m run -p nm.json -- busybox chmod 600 x1
if [ "$(stat -c %a x1)" = 644 ]; then ok "merge: without --merge the profile is replaced"
else fail "merge: without --merge the profile is replaced" "chmod went through"; fi

# --merge over a profile that denies a call the run needs: that rule now allows
cat > deny.json <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}
EOF
chmod 644 x1
"$M" learn -o deny.json --merge -- busybox chmod 600 x1 >/dev/null 2>merge.err
chmod 644 x1
run_m run -p deny.json -- busybox chmod 600 x1
if [ "$rc" -eq 0 ] && [ "$(stat -c %a x1)" = 600 ] && grep -q "now allows it" merge.err; then
	ok "merge: an outright denial of a learned call becomes ALLOW, said on stderr"
else
	fail "merge: an outright denial of a learned call becomes ALLOW, said on stderr" \
		"exit $rc, mode $(stat -c %a x1): $(cat merge.err)"
fi

# Other output formats round-trip through their readers
for f in docker minijail kafel; do
	rm -f prof.$f
	timeout 300 "$M" learn -o prof.$f --format $f -- sh -c 'echo fmt | cat' >/dev/null 2>lf.err
	if [ ! -s prof.$f ]; then fail "format $f: learn writes it" "$(head -2 lf.err)"; continue; fi
	run_m run -p prof.$f --format $f -- sh -c 'echo fmt | cat'
	if [ "$rc" -eq 0 ] && grep -q '^fmt$' out; then ok "format $f: round trip"
	else fail "format $f: round trip" "exit $rc: $(head -2 err)"; fi
done

# Errors
run_m learn -- true
if [ "$rc" -eq 2 ]; then ok "error: -o required"; else fail "error: -o required" "exit $rc"; fi
run_m learn -o nf.json -- no-such-command-muzzle
if [ "$rc" -eq 127 ] && [ ! -e nf.json ]; then ok "error: command not found, no profile"
else fail "error: command not found, no profile" "exit $rc"; fi
run_m learn -o nm.json --format nosuch -- true
if [ "$rc" -eq 2 ]; then ok "error: unknown format"; else fail "error: unknown format" "exit $rc"; fi
exit 0
