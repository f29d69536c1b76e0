#!/usr/bin/env python3
"""Generate formats/consts_gen.c: the symbolic constants minijail and Kafel
policies may use (O_*, PROT_*, MAP_*, CLONE_*, AF_*, ioctl requests, ...),
with values taken from the C headers of each ABI by the compiler itself.

For every ABI whose headers are installed, the script
  1. lists the object-like macros the headers define (cpp -dM) whose names
     have one of PREFIXES (or are in EXTRA),
  2. compiles one C file that evaluates each as an integer constant, dropping
     the macros the compiler rejects (strings, struct initialisers, ...),
  3. compiles and runs a program printing the values.
The host compiler is used with the target ABI's header tree (-nostdinc), so
only integer constant expressions are evaluated; the program never runs
target code.  ABIs without headers are simply absent from the table, and the
readers refuse constants on them.

Usage: tools/gen_consts.py [out.c]   (default formats/consts_gen.c)
Needs: gcc and the Debian packages libc6-dev-i386, libc6-dev-x32,
linux-libc-dev-{arm64,armhf,riscv64}-cross, libc6-dev-{arm64,armhf,riscv64}-cross.
A missing ABI is skipped with a message (its column is then absent).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

HEADERS = [
    "fcntl.h", "sys/mman.h", "sched.h", "sys/socket.h", "netinet/in.h",
    "netinet/tcp.h", "sys/prctl.h", "linux/futex.h", "termios.h", "sys/ioctl.h",
    "errno.h", "signal.h", "sys/stat.h", "sys/eventfd.h", "sys/epoll.h",
    "sys/timerfd.h", "sys/inotify.h", "sys/wait.h", "sys/random.h",
    "sys/resource.h", "sys/ptrace.h", "sys/file.h", "sys/uio.h", "time.h",
    "sys/signalfd.h", "sys/personality.h", "linux/memfd.h", "linux/sched.h",
    "linux/fs.h", "linux/falloc.h", "linux/seccomp.h", "linux/netlink.h",
    "linux/sockios.h", "linux/if_tun.h", "sys/mount.h", "linux/keyctl.h",
    "sys/quota.h", "sys/xattr.h", "sys/un.h", "sys/shm.h", "sys/ipc.h",
    "sys/sem.h", "sys/msg.h", "unistd.h", "sys/capability.h",
]

PREFIXES = [
    "O_", "F_", "FD_", "AT_", "PROT_", "MAP_", "MADV_", "MS_", "MCL_", "MREMAP_",
    "MFD_", "CLONE_", "CSIGNAL", "AF_", "PF_", "SOCK_", "SOL_", "SO_", "MSG_",
    "IPPROTO_", "TCP_", "SHUT_", "PR_", "FUTEX_", "TC", "TIOC", "FIO", "FION",
    "SIOC", "E", "SIG", "SA_", "S_I", "EFD_", "EPOLL", "TFD_", "IN_", "WNOHANG",
    "WUNTRACED", "WCONTINUED", "WEXITED", "WSTOPPED", "WNOWAIT", "WALL",
    "__WALL", "__WCLONE", "__WNOTHREAD", "P_", "GRND_", "RLIMIT_", "PTRACE_",
    "LOCK_", "CLOCK_", "TIMER_", "SFD_", "PER_", "ADDR_", "SECCOMP_", "NETLINK_",
    "SEEK_", "R_OK", "W_OK", "X_OK", "F_OK", "UMOUNT_", "MNT_", "KEYCTL_",
    "FALLOC_FL_", "XATTR_", "IPC_", "SHM_", "SEM_", "GETALL", "GETVAL", "SETALL",
    "SETVAL", "GETPID", "GETNCNT", "GETZCNT", "SCHED_", "RENAME_", "SPLICE_F_",
    "SYNC_FILE_RANGE_", "POSIX_FADV_", "FS_IOC_", "BLK", "TUN", "IFF_",
    "CAP_", "STATX_", "OPEN_TREE_", "MOVE_MOUNT_", "FSOPEN_", "FSMOUNT_",
    "FSCONFIG_", "MOUNT_ATTR_", "CLOSE_RANGE_", "PIDFD_", "NT_", "ARCH_",
    "UFFD", "KCMP_", "MEMBARRIER_", "RWF_",
]

HOST_MULTIARCH = ["-isystem", "/usr/include/x86_64-linux-gnu"]

ABIS = [
    # (name in the table, header tree or None for the host's, extra flags:
    #  the host compiler in ILP32 mode stands in for 32-bit ABIs so that
    #  sizeof-based ioctl numbers come out with 32-bit longs).  riscv64 is
    #  the asm-generic ABI (also loongarch64's numbering of most constants,
    #  but muzzle only claims the ABIs listed here).
    ("x86_64", None, []),
    ("x86", None, ["-m32", *HOST_MULTIARCH]),
    ("x32", None, ["-mx32", *HOST_MULTIARCH]),
    ("aarch64", "/usr/aarch64-linux-gnu/include", []),
    ("arm", "/usr/arm-linux-gnueabihf/include", ["-m32", "-D__ARM_PCS_VFP=1"]),
    ("riscv64", "/usr/riscv64-linux-gnu/include",
     ["-U__x86_64__", "-D__riscv", "-D__riscv_xlen=64", "-D__riscv_float_abi_double=1"]),
]

NAME_RE = re.compile(r"^#define ([A-Z_][A-Z0-9_]*) (.+)$")


def cc_flags(incdir, extra):
    flags = ["-D_GNU_SOURCE", "-w", *extra]
    if incdir:
        gccinc = subprocess.check_output(["gcc", "-print-file-name=include"],
                                         text=True).strip()
        flags += ["-nostdinc", "-isystem", gccinc, "-isystem", incdir]
    return flags


def usable_headers(flags, tmp):
    ok = []
    for h in HEADERS:
        src = os.path.join(tmp, "h.c")
        with open(src, "w") as f:
            f.write("#include <%s>\n" % h)
        r = subprocess.run(["gcc", "-E", *flags, src], capture_output=True)
        if r.returncode == 0:
            ok.append(h)
    return ok


def wanted(name):
    if name.startswith("__") and name not in ("__WALL", "__WCLONE", "__WNOTHREAD"):
        return False
    return any(name.startswith(p) for p in PREFIXES)


def candidates(flags, headers, tmp):
    src = os.path.join(tmp, "all.c")
    with open(src, "w") as f:
        for h in headers:
            f.write("#include <%s>\n" % h)
    out = subprocess.check_output(["gcc", "-E", "-dM", *flags, src], text=True)
    names = set()
    for line in out.splitlines():
        m = NAME_RE.match(line)
        if m and wanted(m.group(1)):
            names.add(m.group(1))
    return sorted(names)


def prelude(headers):
    return "".join("#include <%s>\n" % h for h in headers)


def compilable(flags, headers, names, tmp):
    """Drop the names the compiler does not accept as integer constant
    expressions (strings, pointers, struct initialisers, ...)."""
    names = list(names)
    text = prelude(headers)
    first = text.count("\n") + 1
    src = os.path.join(tmp, "chk.c")
    while True:
        body = "".join('_Static_assert((long long)(%s) == (long long)(%s), "");\n'
                       % (n, n) for n in names)
        with open(src, "w") as f:
            f.write(text + body)
        r = subprocess.run(["gcc", "-c", "-o", os.devnull, *flags, src],
                           capture_output=True, text=True)
        if r.returncode == 0:
            return names
        bad = set()
        for m in re.finditer(r"chk\.c:(\d+):\d+: error", r.stderr):
            idx = int(m.group(1)) - first
            if 0 <= idx < len(names):
                bad.add(idx)
        if not bad:
            raise SystemExit("cannot evaluate constants:\n" + r.stderr[:2000])
        names = [n for i, n in enumerate(names) if i not in bad]


def values(flags, headers, names, tmp):
    """Evaluate the constants as initialisers of a data table compiled with
    the ABI's headers and read the table back from the object file: no
    target code runs, only the compiler's constant folding."""
    src = os.path.join(tmp, "val.c")
    obj = os.path.join(tmp, "val.o")
    raw = os.path.join(tmp, "val.bin")
    with open(src, "w") as f:
        f.write(prelude(headers))
        f.write("__attribute__((section(\".muzzle_vals\")))\n"
                "const long long muzzle_vals[] = {\n")
        for n in names:
            f.write("\t(long long)(%s),\n" % n)
        f.write("\t0\n};\n")
    subprocess.check_call(["gcc", "-c", *flags, src, "-o", obj])
    subprocess.check_call(["objcopy", "-O", "binary", "--only-section=.muzzle_vals",
                           obj, raw])
    with open(raw, "rb") as f:
        data = f.read()
    vals = struct.unpack("<%dq" % (len(names) + 1), data[:8 * (len(names) + 1)])
    return dict(zip(names, vals))


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "formats/consts_gen.c"
    tables = []
    with tempfile.TemporaryDirectory() as tmp:
        for abi, incdir, extra in ABIS:
            if incdir and not os.path.isdir(incdir):
                print("gen_consts: no headers for %s (%s), skipped" % (abi, incdir),
                      file=sys.stderr)
                continue
            flags = cc_flags(incdir, extra)
            headers = usable_headers(flags, tmp)
            names = compilable(flags, headers, candidates(flags, headers, tmp), tmp)
            tables.append((abi, values(flags, headers, names, tmp)))
            print("gen_consts: %s: %d constants from %d headers"
                  % (abi, len(names), len(headers)), file=sys.stderr)
    write(out_path, tables)


def write(path, tables):
    allnames = sorted(set().union(*(t.keys() for _, t in tables)))
    abis = [a for a, _ in tables]
    with open(path, "w") as f:
        f.write("/* Generated by tools/gen_consts.py from the installed C headers of each\n"
                " * ABI (glibc + Linux uapi); do not edit.  Valid for: %s. */\n"
                % ", ".join(abis))
        f.write('#include "consts.h"\n\n')
        f.write('_Static_assert(CONSTS_NABI == %d, "consts.h: CONSTS_NABI must match");\n\n'
                % len(abis))
        f.write("const char *const consts_abi_names[CONSTS_NABI] = {\n")
        for a in abis:
            f.write('\t"%s",\n' % a)
        f.write("};\n\n")
        f.write("const struct const_entry consts_table[] = {\n")
        for n in allnames:
            vals = []
            present = 0
            for i, (_, t) in enumerate(tables):
                if n in t:
                    present |= 1 << i
                    vals.append("%dLL" % t[n] if t[n] >= -(1 << 62) else "(%dLL - 1)" % (t[n] + 1))
                else:
                    vals.append("0")
            f.write('\t{ "%s", 0x%x, { %s } },\n' % (n, present, ", ".join(vals)))
        f.write("};\n\n")
        f.write("const size_t consts_count = sizeof(consts_table) / sizeof(consts_table[0]);\n")
    hdr_n = len(abis)
    print("gen_consts: wrote %d names for %d ABIs to %s" % (len(allnames), hdr_n, path),
          file=sys.stderr)


if __name__ == "__main__":
    main()
