#!/bin/sh
# make demo: muzzle's main job on built-in examples.
B=${1:-build}
M="$B/muzzle"
top=$(cd "$(dirname "$0")/.." && pwd)
shared="$top/../shared"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; echo "[exit $?]"; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo hello > "$tmp/file"

echo "== 1. Docker's chmod example (seed 001) under muzzle run"
run "$M" run -p examples/chmod.json -- /bin/busybox chmod 400 "$tmp/file"
run "$M" check examples/chmod.json

echo "== 2. Compile Docker's default profile for x86_64 + x86 + x32"
if [ -f "$shared/profiles/docker-default.json" ]; then
	run "$M" compile "$shared/profiles/docker-default.json" --arch x86_64,x86,x32 \
		--to bpf -o "$tmp/docker.bpf" --time 50
	ls -l "$tmp/docker.bpf" | awk '{print $5/8 " instructions"}'
	say "$M sim ... --syscall clone3"
	"$M" sim "$shared/profiles/docker-default.json" --arch x86_64 --syscall clone3
	say "$M disasm docker.bpf | head -20"
	"$M" disasm "$tmp/docker.bpf" --arch x86_64 | head -20
fi

echo "== 3. The built-in default policy: keyctl is denied, ls runs"
run "$M" run -p default -- ls -d /
run "$M" sim default --arch x86_64 --syscall keyctl
