#!/bin/sh
# Tests tools/gen_syscalls.py: the committed generated files are what the
# generator makes from shared/syscalls; crafted tables come out with the ABI
# bases, x32 bit and kernel versions applied; bad tables are refused with a
# message naming the line, and nothing is written.
top=${MUZZLE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
gen="$top/tools/gen_syscalls.py"
shared="$top/../shared/syscalls"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP gen_syscalls: python3 not installed"
	exit 0
fi

# 1. committed output is current
if [ -f "$shared/syscalls.csv" ]; then
	if python3 "$gen" "$shared" --out "$tmp/real" > "$tmp/real.log" 2>&1 &&
	   cmp -s "$tmp/real/lib/arch/syscalls_gen.c" "$top/lib/arch/syscalls_gen.c" &&
	   cmp -s "$tmp/real/lib/arch/syscalls_gen.h" "$top/lib/arch/syscalls_gen.h" &&
	   cmp -s "$tmp/real/include/seccomp-syscalls.h" "$top/include/seccomp-syscalls.h"; then
		echo "ok gen_syscalls_committed_output_current"
	else
		echo "FAIL gen_syscalls_committed_output_current: run 'make gen' and commit ($(head -1 "$tmp/real.log"))"
	fi
else
	echo "SKIP gen_syscalls_committed_output_current: $shared/syscalls.csv not found"
fi

# 2. a crafted table: header as the real one, a few rows
cols="x86 x86_64 x32 arm aarch64 loongarch64 m68k mips mips64 mips64n32 parisc parisc64 ppc ppc64 riscv64 s390 s390x sh"
row() {	# name value-for-every-column [kver]
	line=$1
	for c in $cols; do line="$line,$2,${3:-SCMP_KV_UNDEF}"; done
	echo "$line"
}
mkcase() {	# dir: writes a good table there
	mkdir -p "$1"
	{
		printf '#syscall (test)'
		for c in $cols; do printf ',%s,%s_kver' "$c" "$c"; done
		echo
		row ipc 117
		row newcall 450 SCMP_KV_6_13
		row read 3
		row socketcall 102
		echo "onlyx86,7,SCMP_KV_2_6$(for c in $cols; do [ "$c" = x86 ] || printf ',PNR,SCMP_KV_UNDEF'; done)"
	} > "$1/syscalls.csv"
	printf 'name,pseudo_number\nonlyx86,-10001\n' > "$1/pseudo-numbers.csv"
}

mkcase "$tmp/good"
if python3 "$gen" "$tmp/good" --out "$tmp/good-out" > "$tmp/good.log" 2>&1; then
	c="$tmp/good-out/lib/arch/syscalls_gen.c"
	h="$tmp/good-out/include/seccomp-syscalls.h"
	fail=""
	grep -q '4003,	/\* read \*/' "$c" || fail="$fail mips-base"
	grep -q '5003,	/\* read \*/' "$c" || fail="$fail mips64-base"
	grep -q '6003,	/\* read \*/' "$c" || fail="$fail n32-base"
	grep -q '1073741827,	/\* read \*/' "$c" || fail="$fail x32-bit"
	grep -q '{ 0, 1, 613 },	/\* x86 newcall \*/' "$c" || fail="$fail kver-6.13"
	grep -q '{ 0, 2, 206 },	/\* x86 onlyx86 \*/' "$c" || fail="$fail kver-2.6"
	grep -q 'INT32_MIN,	/\* onlyx86 \*/' "$c" || fail="$fail absent"
	grep -q '^#define __PNR_onlyx86		-10001$' "$h" || fail="$fail pnr"
	grep -q '^#define __SNR_onlyx86			__PNR_onlyx86$' "$h" || fail="$fail snr-fallback"
	grep -q '^#define __SNR_read			__NR_read$' "$h" || fail="$fail snr-plain"
	# the crafted tables compile with arch.c and answer through the API
	cat > "$tmp/use.c" <<'EOF'
#include <stdio.h>
#include "arch/arch.h"
int main(void)
{
	int id = arch_syscall_id("newcall"), x = arch_syscall_id("onlyx86");

	if (arch_syscall_count() != 5 || id != 1 || x != 2)
		return 1;
	if (arch_syscall_kver(ARCH_X86, id) != 613 || arch_syscall_kver(ARCH_SHEB, id) != 613)
		return 2;
	if (arch_syscall_nr(ARCH_X86_64, x) != ARCH_NR_NONE || arch_syscall_pseudo(x) != -10001)
		return 3;
	if (arch_syscall_by_nr(ARCH_MIPSEL64N32, 6450) != id || arch_get(ARCH_S390)->ipc_nr != 117)
		return 4;
	return 0;
}
EOF
	mkdir -p "$tmp/inc/arch"
	cp "$top/lib/arch/arch.h" "$tmp/good-out/lib/arch/syscalls_gen.h" "$tmp/inc/arch/"
	if ! cc -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$tmp/inc" "$tmp/use.c" \
		"$top/lib/arch/arch.c" "$c" -o "$tmp/use" > "$tmp/cc.log" 2>&1; then
		fail="$fail compile($(head -1 "$tmp/cc.log"))"
	else
		"$tmp/use"
		rc=$?
		[ $rc -eq 0 ] || fail="$fail api-check-$rc"
	fi
	if [ -z "$fail" ]; then echo "ok gen_syscalls_crafted_table"
	else echo "FAIL gen_syscalls_crafted_table:$fail"; fi
else
	echo "FAIL gen_syscalls_crafted_table: generator refused it: $(cat "$tmp/good.log")"
fi

# 3. bad tables are refused, with the line, and write nothing
bad() {	# name sed-expression-on-syscalls.csv [pseudo-csv] expected-message-part
	mkcase "$tmp/$1"
	sed -i "$2" "$tmp/$1/syscalls.csv"
	[ -n "$3" ] && printf "$3" > "$tmp/$1/pseudo-numbers.csv"
	if python3 "$gen" "$tmp/$1" --out "$tmp/$1-out" > "$tmp/$1.log" 2>&1; then
		echo "FAIL gen_syscalls_rejects_$1: accepted"
	elif ! grep -q "$4" "$tmp/$1.log"; then
		echo "FAIL gen_syscalls_rejects_$1: message '$(cat "$tmp/$1.log")' lacks '$4'"
	elif [ -e "$tmp/$1-out" ]; then
		echo "FAIL gen_syscalls_rejects_$1: wrote output"
	else
		echo "ok gen_syscalls_rejects_$1"
	fi
}
bad duplicate_name '3s/^newcall/read/' '' 'syscalls.csv:4: duplicate name read'
bad bad_number '3s/^newcall,450/newcall,4x0/' '' 'syscalls.csv:3: not a number'
bad bad_kver '3s/SCMP_KV_6_13/SCMP_KV_6/' '' 'syscalls.csv:3: bad kernel version'
bad missing_pseudo 's/^onlyx86/lonely/' '' 'has no pseudo number'
bad shared_number '3s/^newcall,450/newcall,3/' '' 'share number 3'
bad wrong_column '1s/,mips64n32,/,mipsn32,/' '' 'column'
bad short_row '4s/,SCMP_KV_UNDEF$//' '' 'syscalls.csv:4:'
bad positive_pseudo '' 'name,pseudo_number\nonlyx86,5\n' 'pseudo number must be negative'
exit 0
