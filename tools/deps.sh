#!/bin/sh
# Installs the Debian packages a step needs, only those missing.
# usage: deps.sh build|test|bench|fuzz
set -e
build="gcc make pkg-config libc6-dev linux-libc-dev libjson-c-dev python3 libbpf-dev"
test="$build libseccomp-dev busybox-static bubblewrap runc crun strace coreutils python3 \
	clang libclang-rt-14-dev valgrind python3-yaml"
bench="$test gnuplot-nox"
case "$1" in
	build) want=$build ;; test) want=$test ;; bench) want=$bench ;; fuzz) want=$test ;;
	*) echo "usage: $0 build|test|bench|fuzz" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "muzzle: missing Debian packages:$missing (run as root, or apt-get install them)" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
apt-get install -y -qq --no-install-recommends $missing >/dev/null
