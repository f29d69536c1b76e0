#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ (committed; run again
only to regenerate).  Sources: the shared example policies and profiles,
small hand-written policies, and BPF programs exported by the system's
libseccomp (libseccomp.so.2 through ctypes), each prefixed with a 64-byte
struct seccomp_data as fuzz_bpf expects.

Usage: python3 fuzz/make_seeds.py [SHARED_DIR]   (default ../shared)
"""

import ctypes
import glob
import hashlib
import os
import struct
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(TOP, "fuzz", "corpus")


def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def seccomp_data(arch, nr, args=(0, 0, 0, 0, 0, 0)):
    return struct.pack("<iIQ6Q", nr, arch, 0, *args)


AUDIT_X86_64 = 0xC000003E
AUDIT_I386 = 0x40000003

# --- bpf: filters libseccomp builds -------------------------------------

SCMP_ACT_KILL = 0x00000000
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_ERRNO = lambda e: 0x00050000 | e
SCMP_ACT_TRAP = 0x00030000
SCMP_ACT_LOG = 0x7FFC0000


class ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def libseccomp_filters():
    try:
        lib = ctypes.CDLL("libseccomp.so.2")
    except OSError:
        print("libseccomp.so.2 not found: no BPF seeds from it")
        return []
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(ArgCmp)]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_arch_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.seccomp_arch_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]

    def build(default, rules, arches=()):
        ctx = lib.seccomp_init(default)
        for a in arches:
            lib.seccomp_arch_add(ctx, lib.seccomp_arch_resolve_name(a.encode()))
        for action, name, conds in rules:
            nr = lib.seccomp_syscall_resolve_name(name.encode())
            arr = (ArgCmp * max(1, len(conds)))(*[ArgCmp(*c) for c in conds])
            rc = lib.seccomp_rule_add_array(ctx, action, nr, len(conds), arr)
            if rc:
                raise RuntimeError("rule %s: %d" % (name, rc))
        with tempfile.TemporaryFile() as f:
            lib.seccomp_export_bpf(ctx, f.fileno())
            f.seek(0)
            prog = f.read()
        lib.seccomp_release(ctx)
        return prog

    EQ, NE, LT, LE, GE, GT, MASKED_EQ = 4, 1, 2, 3, 5, 6, 7
    basic = [(SCMP_ACT_ALLOW, n, []) for n in ("read", "write", "exit_group", "rt_sigreturn")]
    progs = [
        build(SCMP_ACT_KILL, basic),
        build(SCMP_ACT_ERRNO(1), basic + [(SCMP_ACT_ALLOW, "openat", [(2, MASKED_EQ, 3, 0)])]),
        build(SCMP_ACT_ALLOW, [(SCMP_ACT_ERRNO(38), "clone", [(0, MASKED_EQ, 0x10000000, 0x10000000)]),
                               (SCMP_ACT_TRAP, "ptrace", []),
                               (SCMP_ACT_LOG, "ioctl", [(1, EQ, 0x5401, 0)]),
                               (SCMP_ACT_ERRNO(1), "personality", [(0, NE, 8, 0)]),
                               (SCMP_ACT_KILL, "mmap", [(2, GE, 0x100000000, 0)]),
                               (SCMP_ACT_KILL, "kill", [(0, LT, 2, 0)]),
                               (SCMP_ACT_KILL, "tkill", [(1, GT, 64, 0)]),
                               (SCMP_ACT_KILL, "tgkill", [(2, LE, 0, 0)])]),
        build(SCMP_ACT_KILL, basic + [(SCMP_ACT_ALLOW, "socket", [(0, EQ, 1, 0)])],
              arches=("x86", "x32")),
    ]
    return progs


def bpf_seeds():
    insn = lambda code, jt, jf, k: struct.pack("<HBBI", code, jt, jf, k)
    RET, LD_ABS_W, JEQ_K, JGE_K, JSET_K = 0x06, 0x20, 0x15, 0x35, 0x45
    tiny = insn(RET, 0, 0, SCMP_ACT_ALLOW)
    arch_check = (insn(LD_ABS_W, 0, 0, 4) + insn(JEQ_K, 1, 0, AUDIT_X86_64) +
                  insn(RET, 0, 0, SCMP_ACT_KILL) + insn(LD_ABS_W, 0, 0, 0) +
                  insn(JGE_K, 0, 1, 0x40000000) + insn(RET, 0, 0, SCMP_ACT_KILL) +
                  insn(JSET_K, 0, 1, 1) + insn(RET, 0, 0, SCMP_ACT_ERRNO(1)) +
                  insn(RET, 0, 0, SCMP_ACT_ALLOW))
    scratch = (insn(0x00, 0, 0, 7) + insn(0x02, 0, 0, 3) + insn(0x61, 0, 0, 3) +
               insn(0x07, 0, 0, 0) + insn(0x87, 0, 0, 0) + insn(0x16, 0, 0, 0))
    put("bpf", seccomp_data(AUDIT_X86_64, 0) + tiny, "ret-allow")
    put("bpf", seccomp_data(AUDIT_X86_64, 1) + arch_check, "arch-check")
    put("bpf", seccomp_data(AUDIT_I386, 3) + scratch, "scratch-tax-txa")
    for i, prog in enumerate(libseccomp_filters()):
        put("bpf", seccomp_data(AUDIT_X86_64, 0, (1, 2, 3, 4, 5, 6)) + prog, "libseccomp-%d" % i)


# --- text formats --------------------------------------------------------

OCI_SMALL = """{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [
  {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["openat"], "action": "SCMP_ACT_ALLOW",
   "args": [{"index": 2, "value": 3, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
  {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
   "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
   "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_NE"}]}
 ]}
"""

OCI_NOTIFY = """{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/seccomp.sock",
 "listenerMetadata": "x", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
 "syscalls": [{"names": ["mount", "umount2"], "action": "SCMP_ACT_NOTIFY"},
              {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS"}]}
"""

DOCKER_SMALL = """{"defaultAction": "SCMP_ACT_KILL",
 "syscalls": [{"name": "chmod", "action": "SCMP_ACT_ERRNO"}]}
"""

DOCKER_ARCHMAP = """{"defaultAction": "SCMP_ACT_ERRNO",
 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
 "syscalls": [
  {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
   "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}],
   "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
  {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
  {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}}
 ]}
"""

MINIJAIL_EXTRA = [
    "read: 1\nwrite: arg0 == 1 || arg0 == 2\nioctl: arg1 == TCGETS; return ENOTTY\n"
    "mmap: arg2 in ~PROT_EXEC\nopenat: return 13\nexit_group: 1\n",
    "close: 1\nsocket: arg0 == AF_UNIX && arg1 & SOCK_STREAM\n"
    "kill: arg1 != 9\nprctl: arg0 == PR_SET_NAME || arg0 == 0x4\nmadvise: kill\n",
    "@denylist\nptrace: return 1\nmount: return 13\n",
]

KAFEL = [
    "POLICY sample {\n  ALLOW {\n    read, write(fd, buf, count) { fd == 1 || fd == 2 },\n"
    "    exit_group\n  }\n}\nUSE sample DEFAULT KILL\n",
    "#define AF_UNIX 1\nPOLICY net {\n  ERRNO(1) { socket(domain, type, proto) { domain != AF_UNIX } }\n"
    "}\nPOLICY base {\n  ALLOW { read, write, close },\n  KILL { ptrace }\n}\n"
    "POLICY all { USE net, USE base }\nUSE all DEFAULT ALLOW\n",
    "POLICY m { ALLOW { mmap(a, l, prot, f, fd, off) { (prot & 4) == 0 } }, "
    "LOG { execve }, TRAP(0) { kill } }\nUSE m DEFAULT ERRNO(38)\n",
]


SYSTEMD = [
    "[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\n"
    "SystemCallErrorNumber=EPERM\nSystemCallArchitectures=native\n",
    "[Service]\nSystemCallFilter=~@mount @reboot:EACCES ptrace \\\n  kexec_load\n"
    "SystemCallFilter=\nSystemCallFilter=~@clock\n",
    "SystemCallFilter=read write exit_group\nSystemCallArchitectures=x86-64 x86\n",
]


def text_seeds(shared):
    docker = os.path.join(shared, "profiles", "docker-default.json")
    for target in ("oci_read", "docker_read"):
        if os.path.exists(docker):
            put(target, open(docker, "rb").read(), "docker-default.json")
        put(target, OCI_SMALL, "small.json")
        put(target, OCI_NOTIFY, "notify.json")
        put(target, DOCKER_SMALL, "docker-small.json")
        put(target, DOCKER_ARCHMAP, "docker-archmap.json")
    for path in sorted(glob.glob(os.path.join(shared, "policies", "minijail", "*.policy"))):
        put("minijail_read", open(path, "rb").read(), os.path.basename(path))
    for i, text in enumerate(MINIJAIL_EXTRA):
        put("minijail_read", text, "extra-%d.policy" % i)
    for i, text in enumerate(KAFEL):
        put("kafel_read", text, "sample-%d.kafel" % i)
    for i, text in enumerate(SYSTEMD):
        put("systemd_read", text, "unit-%d.service" % i)


def misc_seeds():
    for name in ("openat", "SCMP_ARCH_X86_64", "amd64", "socket\0\0\0\x10", "_llseek"):
        put("arch", name)
    # fuzz_compile's seeds are not made here: fuzz/corpus/compile holds the
    # smallest 100 inputs of a merged 3-minute run (MUZZLE_FUZZ_ABIS=le).


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "..", "shared")
    bpf_seeds()
    text_seeds(shared)
    misc_seeds()


if __name__ == "__main__":
    main()
