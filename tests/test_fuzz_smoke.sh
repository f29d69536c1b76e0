#!/bin/sh
# Smoke test for the fuzzing set-up: builds every libFuzzer target and runs
# each for a few seconds (FUZZ_SECONDS, default 5) over its seeds and past
# failures.  Prints fuzz/run.sh's "ok/FAIL/SKIP fuzz_NAME" lines; the targets
# are skipped with the reason when clang's libFuzzer is missing.
top=${MUZZLE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if [ ! -f "$top/fuzz/run.sh" ]; then
	echo "SKIP fuzz_smoke: $top/fuzz/run.sh not found (set MUZZLE_TOP)"
	exit 0
fi
# The targets are ASan+UBSan builds of their own, independent of the build
# under test: running them once per `make check` is enough.
case "${MUZZLE_BUILD:-}" in
*build-asan*)
	echo "SKIP fuzz_smoke: the fuzz targets carry their own sanitizers and ran in the normal pass"
	exit 0 ;;
esac
FUZZ_SECONDS=${FUZZ_SECONDS:-5} MUZZLE_TOP=$top sh "$top/fuzz/run.sh"
