#!/bin/sh
# The static subcommands of muzzle: compile, sim, disasm, asm, diff, resolve,
# check, explain.  Happy paths on real files, round trips through every
# format, and the error paths (exit 2 usage, exit 3 policy, one stderr line).
# Env: MUZZLE_BUILD (dir with the muzzle binary), MUZZLE_TOP (source tree).
B=${MUZZLE_BUILD:-$(pwd)/build}
TOP=${MUZZLE_TOP:-$(pwd)}
M="$B/muzzle"
SHARED="$TOP/../shared"
DOCKER="$SHARED/profiles/docker-default.json"
CAT="$SHARED/policies/minijail/examples_cat.policy"
CSV="$SHARED/syscalls/syscalls.csv"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# run CMD...: stdout in $T/out, stderr in $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect NAME RC CMD...: the exit status must be RC
expect() {
	name=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, wanted $want; stderr: $(head -c 300 "$T/err")"
		return 1
	fi
	return 0
}

has_out() { grep -q -e "$1" "$T/out"; }
has_err() { grep -q -e "$1" "$T/err"; }
err_lines() { wc -l < "$T/err" | tr -d ' '; }

# expect_error NAME RC PATTERN CMD...: exit RC, exactly one stderr line that
# starts with "muzzle SUB:" and matches PATTERN
expect_error() {
	name=$1 want=$2 pat=$3
	shift 3
	expect "$name" "$want" "$@" || return
	if [ "$(err_lines)" -ne 1 ]; then
		fail "$name" "wanted one error line, got: $(cat "$T/err")"
	elif ! grep -q "^muzzle [a-z]*: .*$pat" "$T/err"; then
		fail "$name" "error line does not match '$pat': $(cat "$T/err")"
	else
		ok "$name"
	fi
}

if [ ! -x "$M" ]; then
	fail cli-binary "no muzzle at $M"
	exit 1
fi

# --- small policies written here -----------------------------------------
cat > "$T/chmod.json" <<'EOF'
{
   "defaultAction":"SCMP_ACT_ALLOW",
   "syscalls":[
      {
         "name":"chmod",
         "action":"SCMP_ACT_ERRNO"
      }
   ]
}
EOF
# seed 001's profile exactly as the article prints it (default KILL)
cat > "$T/seed.json" <<'EOF'
{
   "defaultAction":"SCMP_ACT_KILL",
   "syscalls":[
      {
         "name":"chmod",
         "action":"SCMP_ACT_ERRNO"
      }
   ]
}
EOF
cat > "$T/allow.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_KILL_PROCESS",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    { "names": ["read", "write", "close", "exit", "exit_group", "rt_sigreturn",
                "brk", "fstat", "newfstatat"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["personality"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] }
  ]
}
EOF
cat > "$T/allow2.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_KILL_PROCESS",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    { "names": ["read", "write", "close", "exit", "exit_group", "rt_sigreturn",
                "brk", "fstat", "newfstatat"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["personality"], "action": "SCMP_ACT_ALLOW" }
  ]
}
EOF
cat > "$T/badaction.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["read"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["write"], "action": "SCMP_ACT_ERRNO" },
    { "names": ["chmod"], "action": "SCMP_ACT_FOO" }
  ]
}
EOF
cat > "$T/lint.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_KILL_PROCESS",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    { "names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["read"], "action": "SCMP_ACT_ERRNO" },
    { "names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0 },
    { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 200 },
    { "names": ["close"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_NE" } ] }
  ]
}
EOF
cat > "$T/mux.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_ERRNO",
  "architectures": ["SCMP_ARCH_X86"],
  "syscalls": [
    { "names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["socketcall"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["socket"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["bpf"], "action": "SCMP_ACT_ALLOW" }
  ]
}
EOF
printf 'read: 1\nwrite: 1\nexit_group: 1\ngetpid: kill-thread\n' > "$T/mj.policy"
printf 'read: 1\nwrite: 1\nfoo bar baz\n' > "$T/bad.policy"
cat > "$T/small.kafel" <<'EOF'
POLICY small {
  ALLOW { read, write, exit_group, close(fd) { fd != 0 } },
  ERRNO(1) { chmod }
}
USE small DEFAULT KILL
EOF

# --- --help on every subcommand ---------------------------------------------
for sub in compile sim disasm asm diff resolve check explain; do
	run "$M" "$sub" --help
	if [ "$rc" -eq 0 ] && grep -q "^usage: muzzle $sub" "$T/out"; then
		ok "help-$sub"
	else
		fail "help-$sub" "exit $rc; $(head -1 "$T/out")"
	fi
	expect_error "bad-option-$sub" 2 "unknown option" "$M" "$sub" --no-such-option
done

# --- resolve ---------------------------------------------------------------------
# numbers checked against the fact table, not against muzzle's own tables
csv_nr() { awk -F, -v n="$1" -v c="$2" '$1 == n { print $c }' "$CSV"; }
bad=""
for name in read openat execve clone3 io_uring_setup fchmodat2 socket mmap; do
	want=$(csv_nr "$name" 4)
	run "$M" resolve "$name" --arch x86_64
	grep -qx "$name x86_64 $want" "$T/out" || bad="$bad $name($want): $(cat "$T/out")"
done
[ -z "$bad" ] && ok resolve-name-x86_64 || fail resolve-name-x86_64 "$bad"
bad=""
for name in socketcall open ipc chmod; do
	want=$(csv_nr "$name" 2)
	run "$M" resolve "$name" --arch x86
	grep -qx "$name x86 $want" "$T/out" || bad="$bad $name($want)"
done
[ -z "$bad" ] && ok resolve-name-x86 || fail resolve-name-x86 "$bad"
want=$(csv_nr openat 6)
run "$M" resolve openat --arch x32
if grep -q "^openat x32 $want (0x4000" "$T/out"; then ok resolve-x32; else
	fail resolve-x32 "$(cat "$T/out")"; fi
run "$M" resolve "$(csv_nr execve 4)" --arch x86_64
if grep -qx "execve x86_64 $(csv_nr execve 4)" "$T/out"; then ok resolve-number; else
	fail resolve-number "$(cat "$T/out")"; fi
run "$M" resolve execve
if [ "$(grep -c '^execve ' "$T/out")" -ge 3 ]; then ok resolve-machine-abis; else
	fail resolve-machine-abis "$(cat "$T/out")"; fi
run "$M" resolve --list --arch x86_64
n=$(wc -l < "$T/out")
csvn=$(awk -F, 'NR > 1 && $4 != "PNR"' "$CSV" | wc -l)
if [ "$rc" -eq 0 ] && [ "$n" -eq "$csvn" ] && head -1 "$T/out" | grep -qx "read x86_64 0"; then
	ok resolve-list
else
	fail resolve-list "exit $rc, $n lines vs $csvn in the table; first: $(head -1 "$T/out")"
fi
run "$M" resolve -101
if grep -q "^socket pseudo -101" "$T/out"; then ok resolve-pseudo; else
	fail resolve-pseudo "$(cat "$T/out" "$T/err")"; fi
expect_error resolve-unknown 2 'unknown syscall "nosuchcall"' "$M" resolve nosuchcall
expect_error resolve-bad-arch 2 'unknown architecture "vax"' "$M" resolve read --arch vax
expect_error resolve-missing 2 "missing" "$M" resolve
expect_error resolve-not-on-abi 2 "socketcall" "$M" resolve socketcall --arch x86_64

# --- sim -----------------------------------------------------------------------------
run "$M" sim "$T/chmod.json" --arch x86_64 --syscall chmod
if [ "$rc" -eq 0 ] && has_out "^action: ERRNO(1)" && has_out "decided by: .*chmod.json"; then
	ok sim-rule
else
	fail sim-rule "exit $rc: $(cat "$T/out" "$T/err")"
fi
run "$M" sim "$T/chmod.json" --arch x86_64 --syscall fchmodat
if has_out "^action: ALLOW" && has_out "decided by: the default action ALLOW"; then
	ok sim-default
else
	fail sim-default "$(cat "$T/out" "$T/err")"
fi
run "$M" sim "$T/allow.json" --arch x86_64 --syscall personality --args 8
r1=$(grep '^action:' "$T/out")
run "$M" sim "$T/allow.json" --arch x86_64 --syscall personality --args 9
r2=$(grep '^action:' "$T/out")
if [ "$r1" = "action: ALLOW" ] && [ "$r2" = "action: KILL_PROCESS" ]; then ok sim-args; else
	fail sim-args "arg 8: $r1; arg 9: $r2"; fi
run "$M" sim "$T/allow.json" --arch x86 --syscall write
if has_out "^x86 write(" && has_out "^action: ALLOW"; then ok sim-x86; else
	fail sim-x86 "$(cat "$T/out")"; fi
run "$M" sim "$T/chmod.json" --arch x86 --syscall read
if has_out "bad-architecture action"; then ok sim-badarch; else
	fail sim-badarch "$(cat "$T/out")"; fi
if [ -f "$DOCKER" ] && command -v python3 >/dev/null 2>&1; then
	run "$M" sim "$DOCKER" --arch x86_64 --syscall clone3
	# the deciding entry, checked against the JSON itself
	want=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["syscalls"]
print([i for i, e in enumerate(d) if "clone3" in e.get("names", [e.get("name")])
       and e["action"] == "SCMP_ACT_ERRNO"][0])' "$DOCKER")
	if has_out "^action: ERRNO(38)" && has_out "decided by: .*: \\$\\.syscalls\\[$want\\]"; then
		ok sim-docker-clone3
	else
		fail sim-docker-clone3 "$(cat "$T/out" "$T/err")"; fi
else
	skip sim-docker-clone3 "no $DOCKER or no python3"
fi
expect_error sim-unknown-syscall 2 'unknown syscall "nosuchcall"' \
	"$M" sim "$T/chmod.json" --syscall nosuchcall
expect_error sim-missing-syscall 2 "missing --syscall" "$M" sim "$T/chmod.json"
expect_error sim-bad-arch 2 "unknown architecture" "$M" sim "$T/chmod.json" --arch foo --syscall read
expect_error sim-not-on-abi 2 "no syscall" "$M" sim "$T/chmod.json" --arch x86_64 --syscall socketcall
expect_error sim-bad-args 2 "bad argument" "$M" sim "$T/chmod.json" --syscall read --args 1,x
expect_error sim-missing-file 2 "no-such.json" "$M" sim "$T/no-such.json" --syscall read
expect_error sim-policy-error 3 'syscalls\[2\]' "$M" sim "$T/badaction.json" --syscall read

# --- compile ---------------------------------------------------------------------------
if expect compile-bpf 0 "$M" compile "$T/chmod.json" -o "$T/chmod.bpf"; then
	size=$(wc -c < "$T/chmod.bpf")
	if [ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ]; then ok compile-bpf; else
		fail compile-bpf "size $size"; fi
fi
run "$M" sim "$T/chmod.bpf" --arch x86_64 --syscall chmod
steps=$(sed -n 's/^instructions executed: \([0-9]*\) of.*/\1/p' "$T/out")
listed=$(grep -c '^ *[0-9][0-9]*: ' "$T/out")
if has_out "^action: ERRNO(1)" && [ -n "$steps" ] && [ "$steps" -eq "$listed" ] &&
   [ "$(grep '^ *[0-9][0-9]*: ' "$T/out" | tail -1 | grep -c 'ret')" -eq 1 ]; then
	ok sim-filter
else
	fail sim-filter "$(cat "$T/out" "$T/err")"
fi
run "$M" sim "$T/chmod.json" --arch x86_64 --syscall chmod --trace
steps=$(sed -n 's/^compiled filter: same action, \([0-9]*\) of.*/\1/p' "$T/out")
listed=$(grep -c '^ *[0-9][0-9]*: ' "$T/out")
if [ -n "$steps" ] && [ "$steps" -eq "$listed" ]; then ok sim-trace; else
	fail sim-trace "$steps steps, $listed lines: $(cat "$T/out" "$T/err")"; fi
run "$M" compile "$T/chmod.json" --time 5 -o "$T/timed.bpf"
if [ "$rc" -eq 0 ] && grep -Eq '^compile: median [0-9]+ us over 5 runs$' "$T/err"; then
	ok compile-time
else
	fail compile-time "exit $rc: $(cat "$T/err")"
fi
run "$M" compile "$T/chmod.json" --to c
if [ "$rc" -eq 0 ] && has_out "sock_filter"; then ok compile-c; else
	fail compile-c "exit $rc: $(head -c 300 "$T/err")"; fi
run "$M" compile "$T/chmod.json" --to pfc
if [ "$rc" -eq 0 ] && [ -s "$T/out" ]; then ok compile-pfc; else
	fail compile-pfc "exit $rc: $(head -c 300 "$T/err")"; fi
run "$M" compile "$T/allow.json" --to k8s
if [ "$rc" -eq 0 ] && has_out "SeccompProfile"; then ok compile-k8s; else
	fail compile-k8s "exit $rc: $(head -c 300 "$T/err")"; fi
if command -v script >/dev/null 2>&1; then
	script -qec "$M compile $T/chmod.json" /dev/null > "$T/tty" 2>&1
	trc=$?
	if [ "$trc" -eq 2 ] && grep -q "terminal" "$T/tty"; then ok compile-refuses-tty; else
		fail compile-refuses-tty "exit $trc: $(head -c 200 "$T/tty")"; fi
else
	skip compile-refuses-tty "no script(1) to make a terminal"
fi

"$M" compile - --to oci < "$T/chmod.json" > "$T/stdin.json" 2>"$T/err"
run "$M" diff "$T/stdin.json" "$T/chmod.json"
if [ "$rc" -eq 0 ] && grep -q SCMP_ACT_ERRNO "$T/stdin.json"; then ok compile-stdin; else
	fail compile-stdin "diff exit $rc: $(cat "$T/err")"; fi
"$M" compile "$T/chmod.bpf" > "$T/pass.bpf" 2>"$T/err"
if cmp -s "$T/pass.bpf" "$T/chmod.bpf"; then ok compile-filter-passthrough; else
	fail compile-filter-passthrough "$(cat "$T/err")"; fi
expect_error compile-filter-to-oci 2 "raw BPF filter" "$M" compile "$T/chmod.bpf" --to oci

# a fifo (like /dev/stdout) is written in place, not replaced by a rename
# (the reader gives up after 10 s if nothing opens the fifo)
if mkfifo "$T/fifo" 2>/dev/null; then
	timeout 10 cat "$T/fifo" > "$T/fifo.out" &
	run "$M" compile "$T/chmod.json" -o "$T/fifo"
	wait
	if [ "$rc" -eq 0 ] && [ -p "$T/fifo" ] && cmp -s "$T/fifo.out" "$T/chmod.bpf"; then
		ok compile-to-fifo
	else
		fail compile-to-fifo "exit $rc: $(cat "$T/err")"
	fi
	timeout 10 cat "$T/fifo" > "$T/fifo.out" &
	"$M" disasm "$T/chmod.bpf" > "$T/fifo.s"
	run "$M" asm "$T/fifo.s" -o "$T/fifo"
	wait
	if [ "$rc" -eq 0 ] && [ -p "$T/fifo" ] && cmp -s "$T/fifo.out" "$T/chmod.bpf"; then
		ok asm-to-fifo
	else
		fail asm-to-fifo "exit $rc: $(cat "$T/err")"
	fi
else
	skip compile-to-fifo "mkfifo failed"
fi

# round trips: write each format, read it back, compare semantically
# ARCHES must be the ABIs SRC already covers, so that the diff is exact
round_trip() {
	src=$1 label=$2 arches=$3
	for fmt in bpf oci docker minijail kafel; do
		out="$T/rt-$label.$fmt"
		run "$M" compile "$src" --to "$fmt" --arch "$arches" -o "$out"
		if [ "$rc" -eq 3 ] && grep -q "cannot\|not supported\|cannot express\|unsupported" "$T/err"; then
			skip "roundtrip-$label-$fmt" "writer refuses: $(cat "$T/err")"
			continue
		fi
		if [ "$rc" -ne 0 ]; then
			fail "roundtrip-$label-$fmt" "compile exit $rc: $(cat "$T/err")"
			continue
		fi
		run "$M" diff --arch "$arches" --format-a "$fmt" "$out" "$src"
		if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ]; then
			ok "roundtrip-$label-$fmt"
		else
			fail "roundtrip-$label-$fmt" "diff exit $rc: $(head -3 "$T/out") $(cat "$T/err")"
		fi
	done
}
round_trip "$T/chmod.json" chmod x86_64
round_trip "$T/allow.json" allow x86_64,x86,x32
round_trip "$CAT" minijail-cat x86_64
round_trip "$T/mj.policy" minijail-small x86_64
round_trip "$T/small.kafel" kafel-small x86_64
if [ -f "$DOCKER" ]; then round_trip "$DOCKER" docker x86_64,x86,x32; fi

# a failed conversion leaves no output file behind
run "$M" compile "$T/badaction.json" -o "$T/never.bpf"
if [ "$rc" -eq 3 ] && [ ! -e "$T/never.bpf" ] && ! ls "$T" | grep -q "never.bpf.tmp"; then
	ok compile-no-partial-output
else
	fail compile-no-partial-output "exit $rc; $(ls "$T" | grep never)"
fi
expect_error compile-json-path 3 'badaction.json: \$\.syscalls\[2\]\.action: .*SCMP_ACT_FOO' \
	"$M" compile "$T/badaction.json" -o "$T/x.bpf"
expect_error compile-minijail-line 3 'bad.policy:3:[0-9][0-9]*: ' "$M" compile "$T/bad.policy" -o "$T/x.bpf"
expect_error compile-missing-file 2 "no-such.json" "$M" compile "$T/no-such.json" -o "$T/x.bpf"
expect_error compile-missing-arg 2 "missing POLICY" "$M" compile
expect_error compile-bad-format 2 'unknown format "yaml"' "$M" compile "$T/chmod.json" --to yaml
expect_error compile-bad-in-format 2 'unknown format "xml"' "$M" compile "$T/chmod.json" --format xml
expect_error compile-bad-arch 2 'unknown architecture "pdp11"' \
	"$M" compile "$T/chmod.json" --arch x86_64,pdp11
expect_error compile-bad-time 2 "time" "$M" compile "$T/chmod.json" --time 0
expect_error compile-wrong-format 3 'chmod.json:1:[0-9][0-9]*: ' "$M" compile "$T/chmod.json" --format minijail -o "$T/x.bpf"

# --- disasm / asm ------------------------------------------------------------------------
run "$M" disasm "$T/chmod.bpf" --arch x86_64
insns=$(( $(wc -c < "$T/chmod.bpf") / 8 ))
lines=$(grep -c '^ *[0-9][0-9]*:' "$T/out")
if [ "$rc" -eq 0 ] && [ "$lines" -eq "$insns" ] && has_out "chmod"; then ok disasm; else
	fail disasm "exit $rc, $lines lines for $insns instructions"; fi
cp "$T/out" "$T/chmod.s"
if expect asm 0 "$M" asm "$T/chmod.s" -o "$T/chmod2.bpf"; then
	if cmp -s "$T/chmod.bpf" "$T/chmod2.bpf"; then ok asm-round-trip; else
		fail asm-round-trip "bytes differ"; fi
fi
run "$M" disasm "$T/chmod.bpf" --raw
if [ "$rc" -eq 0 ] && ! grep -q '^L[0-9]*:' "$T/out"; then ok disasm-raw; else
	fail disasm-raw "labels in --raw output"; fi
run "$M" disasm "$T/chmod.json"
if [ "$rc" -eq 0 ] && has_out "ret"; then ok disasm-policy; else
	fail disasm-policy "exit $rc"; fi
printf 'ld [0]\njeq #101, L3, L2\nL2:\nret #0x7fff0000\nL3:\nret #0x50001\n' > "$T/hand.s"
if expect asm-hand 0 "$M" asm "$T/hand.s" -o "$T/hand.bpf"; then
	run "$M" sim "$T/hand.bpf" --arch x86_64 --syscall 101
	a1=$(grep '^action' "$T/out")
	run "$M" sim "$T/hand.bpf" --arch x86_64 --syscall 100
	a2=$(grep '^action' "$T/out")
	if [ "$a1" = "action: ERRNO(1)" ] && [ "$a2" = "action: ALLOW" ]; then ok asm-hand; else
		fail asm-hand "101: $a1; 100: $a2"; fi
fi
printf 'ld [0]\nbogus #1\nret #0\n' > "$T/bad.s"
expect_error asm-bad-insn 3 'bad.s:2:[0-9][0-9]*: ' "$M" asm "$T/bad.s" -o "$T/x.bpf"
printf 'ld [0]\nld [64]\nret #0\n' > "$T/oob.s"
expect_error asm-verify 3 'oob.s: .*1' "$M" asm "$T/oob.s" -o "$T/x.bpf"
expect_error asm-missing-out 2 "missing -o" "$M" asm "$T/hand.s"
expect_error asm-missing-file 2 "nope.s" "$M" asm "$T/nope.s" -o "$T/x.bpf"
head -c 13 "$T/chmod.bpf" > "$T/trunc.bpf"
expect_error disasm-truncated 3 'trunc.bpf: .*13' "$M" disasm "$T/trunc.bpf"
expect_error disasm-missing 2 "missing FILE" "$M" disasm
expect_error disasm-bad-arch 2 "unknown architecture" "$M" disasm "$T/chmod.bpf" --arch nope

# --- diff ----------------------------------------------------------------------------------
run "$M" diff "$T/chmod.json" "$T/chmod.bpf"
if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ]; then ok diff-equal; else
	fail diff-equal "exit $rc: $(head -3 "$T/out")"; fi
cat > "$T/chmod-trap.json" <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["chmod"], "action": "SCMP_ACT_TRAP" } ] }
EOF
run "$M" diff "$T/chmod.json" "$T/chmod-trap.json"
if [ "$rc" -eq 1 ] && [ "$(wc -l < "$T/out")" -eq 1 ] &&
   grep -qx "x86_64 chmod: A=ERRNO(1) B=TRAP" "$T/out"; then
	ok diff-different
else
	fail diff-different "exit $rc: $(cat "$T/out" "$T/err")"
fi
run "$M" diff "$T/allow.json" "$T/allow2.json"
if [ "$rc" -eq 1 ] && grep -q "personality args=(" "$T/out" &&
   ! grep -q "personality args=(0x8)" "$T/out"; then
	ok diff-args-witness
else
	fail diff-args-witness "exit $rc: $(cat "$T/out")"
fi
if ! command -v python3 >/dev/null 2>&1; then
	skip diff-json "no python3 to parse JSON"
else
run "$M" diff --json "$T/chmod.json" "$T/chmod-trap.json"
if [ "$rc" -eq 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert d[0]["syscall"] == "chmod" and d[0]["a"] == "ERRNO(1)" and d[0]["b"] == "TRAP"' "$T/out"
then ok diff-json; else fail diff-json "exit $rc: $(cat "$T/out")"; fi
run "$M" diff --json "$T/chmod.json" "$T/chmod.json"
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == []' "$T/out"
then ok diff-json-equal; else fail diff-json-equal "exit $rc: $(cat "$T/out")"; fi
fi
expect_error diff-one-arg 2 "two inputs" "$M" diff "$T/chmod.json"
expect_error diff-missing-file 2 "nope.json" "$M" diff "$T/chmod.json" "$T/nope.json"
expect_error diff-policy-error 3 'syscalls\[2\]' "$M" diff "$T/chmod.json" "$T/badaction.json"

# --- check ---------------------------------------------------------------------------------
run "$M" check "$T/chmod.json"
if [ "$rc" -eq 1 ] && grep -q "warning: chmod is denied.*fchmodat\b" "$T/out" &&
   grep -q "warning: chmod is denied.*fchmodat2" "$T/out"; then
	ok check-seed-chmod-twins
else
	fail check-seed-chmod-twins "exit $rc: $(cat "$T/out" "$T/err")"
fi
if grep -q "^$T/chmod.json: \\$\\.syscalls\\[0\\]: warning: chmod is denied" "$T/out" &&
   ! grep -qv ": warning: " "$T/out"; then
	ok check-line-format
else
	fail check-line-format "$(head -3 "$T/out")"
fi
if grep -q "escape-prone.*ptrace" "$T/out"; then ok check-escapes-default; else
	fail check-escapes-default "$(cat "$T/out")"; fi
if [ -f "$TOP/examples/chmod.json" ]; then
	run "$M" check "$TOP/examples/chmod.json"
	if [ "$rc" -eq 1 ] && grep -q "fchmodat2" "$T/out"; then ok check-example-chmod; else
		fail check-example-chmod "exit $rc: $(cat "$T/out")"; fi
fi
run "$M" check "$T/seed.json"
if [ "$rc" -eq 1 ] && has_out "allows no system call" && ! has_out "fchmodat"; then
	ok check-seed-literal
else
	fail check-seed-literal "exit $rc: $(cat "$T/out")"
fi
run "$M" check "$T/allow.json"
if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ]; then ok check-clean; else
	fail check-clean "exit $rc: $(cat "$T/out" "$T/err")"; fi
run "$M" check "$T/lint.json"
if [ "$rc" -eq 1 ] && has_out "rule for read can never decide"; then ok check-shadowed; else
	fail check-shadowed "exit $rc: $(cat "$T/out" "$T/err")"; fi
if has_out "ERRNO(0)"; then ok check-errno-zero; else fail check-errno-zero "$(cat "$T/out")"; fi
if has_out "ERRNO(200): 200 is not"; then ok check-errno-range; else
	fail check-errno-range "$(cat "$T/out")"; fi
if has_out "close argument 0 is a 32-bit"; then ok check-sign-extension; else
	fail check-sign-extension "$(cat "$T/out")"; fi
run "$M" check "$T/mj.policy"
if [ "$rc" -eq 1 ] && has_out "mj.policy:4: warning: rule for getpid has the default action"; then
	ok check-default-rule
else
	fail check-default-rule "exit $rc: $(cat "$T/out" "$T/err")"
fi
if [ -f "$DOCKER" ]; then
	run "$M" check "$DOCKER"
	if [ "$rc" -eq 1 ] && has_out "on x86, socketcall allows socket" &&
	   ! has_out "clone3 is denied"; then
		ok check-docker-multiplexer
	else
		fail check-docker-multiplexer "exit $rc: $(cat "$T/out" "$T/err")"
	fi
fi
run "$M" check "$T/mux.json"
if [ "$rc" -eq 1 ] && has_out "mux.json: \\$\\.syscalls\\[1\\]: warning: on x86, socketcall allows .*connect, .* socket, "
then ok check-multiplexer; else fail check-multiplexer "exit $rc: $(cat "$T/out" "$T/err")"; fi
if has_out "mux.json: \\$\\.syscalls\\[3\\]: warning: allows bpf: " && ! has_out "allows ptrace"
then ok check-escape-rule; else fail check-escape-rule "$(cat "$T/out")"; fi
run "$M" check "$T/hand.bpf"
if [ "$rc" -eq 1 ] && has_out "never reads seccomp_data.arch" &&
   has_out "ptrace is denied.*process_vm_writev"; then
	ok check-filter
else
	fail check-filter "exit $rc: $(cat "$T/out" "$T/err")"
fi
printf 'ld [4]\njeq #0xc000003e, L3, L2\nL2:\nret #0x7fff0000\nL3:\nld [0]\njeq #0, L6, L5\nL5:\nret #0\nL6:\nret #0x7fff0000\n' > "$T/noi386.s"
if expect asm-noi386 0 "$M" asm "$T/noi386.s" -o "$T/noi386.bpf"; then
	run "$M" check "$T/noi386.bpf"
	if [ "$rc" -eq 1 ] && has_out "does not filter x86\b"; then ok check-filter-open-abi; else
		fail check-filter-open-abi "exit $rc: $(cat "$T/out" "$T/err")"; fi
fi
expect_error check-policy-error 3 'bad.policy:3:' "$M" check "$T/bad.policy"
expect_error check-missing 2 "missing POLICY" "$M" check
expect_error check-missing-file 2 "nope.json" "$M" check "$T/nope.json"

# --- explain --------------------------------------------------------------------------------
run "$M" explain "$T/chmod.json"
if [ "$rc" -eq 0 ] && has_out "^GROUP" && grep -A3 "^files" "$T/out" | grep -q "denied: chmod"
then ok explain-chmod; else fail explain-chmod "exit $rc: $(cat "$T/out" "$T/err")"; fi
run "$M" explain "$T/allow.json" --arch x86_64
if has_out "depends: personality" && grep -q "^network  *0 " "$T/out"; then ok explain-allowlist
else fail explain-allowlist "$(cat "$T/out")"; fi
run "$M" explain -v "$T/chmod.json"
if [ "$rc" -eq 0 ] && grep -A3 "^files" "$T/out" | grep -q "allowed: .*fchmodat2"; then
	ok explain-verbose
else
	fail explain-verbose "exit $rc: $(head -5 "$T/out")"
fi
expect_error explain-missing 2 "missing POLICY" "$M" explain
expect_error explain-policy-error 3 'syscalls\[2\]' "$M" explain "$T/badaction.json"

# --- compile --badarch: an explicit choice when a target cannot say the source's action ------
expect_error compile-badarch-refused 3 "bad-architecture action of KILL_PROCESS" \
	"$M" compile "$T/chmod.json" --to oci --badarch kill-process
expect_error compile-badarch-bogus 2 "badarch needs an action" \
	"$M" compile "$T/chmod.json" --to oci --badarch nonsense
run "$M" compile "$T/chmod.json" --to pfc --badarch 'ERRNO(38)'
if [ "$rc" -eq 0 ] && grep -qi "errno(38)\|errno 38\|ERRNO(38)" "$T/out"; then ok compile-badarch-applied
else fail compile-badarch-applied "exit $rc: $(head -c 400 "$T/out") $(cat "$T/err")"; fi
run "$M" compile "$T/chmod.json" --arch x86_64,x86 --to pfc
if [ "$rc" -eq 0 ] && [ "$(err_lines)" -eq 0 ]; then ok compile-arch-no-spurious-note
else fail compile-arch-no-spurious-note "exit $rc: $(cat "$T/err")"; fi
exit 0
