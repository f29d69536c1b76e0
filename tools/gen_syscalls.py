#!/usr/bin/env python3
"""Generate muzzle's syscall tables from the shared fact tables.

Usage: python3 tools/gen_syscalls.py DIR [--out TOP]
  DIR holds syscalls.csv and pseudo-numbers.csv (see its README.md).
  TOP is the tree to write into (default: the one this script is in; tests
  pass a scratch directory).

Writes (relative to TOP):
  lib/arch/syscalls_gen.h   declarations of the generated tables
  lib/arch/syscalls_gen.c   the constant tables
  include/seccomp-syscalls.h  __PNR_* and __SNR_* for SCMP_SYS()

Numbers are stored as the kernel shows them in seccomp_data.nr: the csv's
per-ABI numbers plus the MIPS ABI bases (o32 4000, n64 5000, n32 6000) and,
for x32, the x32 bit 0x40000000.  Little- and big-endian twins (mips/mipsel,
ppc64/ppc64le, sh/sheb, ...) share a csv column, so they share a table.

The script checks the input and stops with a message naming the line on
anything it does not understand: a wrong table is worse than none.
"""

import csv
import os
import re
import sys

# csv column -> amount added to the csv number to get seccomp_data.nr.
# MIPS kernels number each ABI from its own base (arch/mips: __NR_O32_Linux
# 4000, __NR_64_Linux 5000, __NR_N32_Linux 6000); x32 calls carry
# __X32_SYSCALL_BIT, which the csv leaves out.
COLUMN_BASE = {
    "mips": 4000,
    "mips64": 5000,
    "mips64n32": 6000,
}
COLUMN_OR = {
    "x32": 0x40000000,
}
EXPECTED_COLUMNS = [
    "x86", "x86_64", "x32", "arm", "aarch64", "loongarch64", "m68k", "mips",
    "mips64", "mips64n32", "parisc", "parisc64", "ppc", "ppc64", "riscv64",
    "s390", "s390x", "sh",
]
# ARM's private calls live at __ARM_NR_BASE (0x0f0000) and are named
# __ARM_NR_<name> in <asm/unistd.h>, not __NR_<name>.
ARM_PRIVATE_BASE = 0x0F0000

KVER_RE = re.compile(r"^SCMP_KV_(\d+)_(\d+)$")


def die(msg):
    sys.stderr.write("gen_syscalls: " + msg + "\n")
    sys.exit(1)


def parse_int(text, where):
    try:
        return int(text, 0)
    except ValueError:
        die("%s: not a number: %r" % (where, text))


def parse_kver(text, where):
    if text == "SCMP_KV_UNDEF":
        return 0
    m = KVER_RE.match(text)
    if not m:
        die("%s: bad kernel version %r" % (where, text))
    major, minor = int(m.group(1)), int(m.group(2))
    if minor > 99:
        die("%s: minor version too large in %r" % (where, text))
    return major * 100 + minor


def read_syscalls(path):
    """Return (columns, {name: {column: (nr or None, kver)}})."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        die("%s: empty" % path)
    header = rows[0]
    if len(header) < 3 or (len(header) - 1) % 2:
        die("%s:1: header must be name then nr,kver pairs" % path)
    columns = header[1::2]
    for i, col in enumerate(columns):
        if header[2 + 2 * i] != col + "_kver":
            die("%s:1: column %d should be %s_kver" % (path, 3 + 2 * i, col))
    if columns != EXPECTED_COLUMNS:
        die("%s:1: columns %s, expected %s" % (path, columns, EXPECTED_COLUMNS))
    table = {}
    for lineno, row in enumerate(rows[1:], start=2):
        where = "%s:%d" % (path, lineno)
        if not row:
            continue
        if len(row) != len(header):
            die("%s: %d fields, header has %d" % (where, len(row), len(header)))
        name = row[0]
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            die("%s: bad syscall name %r" % (where, name))
        if name in table:
            die("%s: duplicate name %s" % (where, name))
        entry = {}
        for i, col in enumerate(columns):
            raw, kv = row[1 + 2 * i], row[2 + 2 * i]
            nr = None if raw == "PNR" else parse_int(raw, where)
            if nr is not None and not 0 <= nr < 0x100000:
                die("%s: %s number %d out of range" % (where, col, nr))
            entry[col] = (nr, parse_kver(kv, where))
        table[name] = entry
    return columns, table


def read_pseudo(path):
    """Return [(name, number)] in file order."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][:2] != ["name", "pseudo_number"]:
        die("%s:1: header must be name,pseudo_number" % path)
    out, seen = [], set()
    for lineno, row in enumerate(rows[1:], start=2):
        where = "%s:%d" % (path, lineno)
        if not row:
            continue
        if len(row) != 2:
            die("%s: expected 2 fields" % where)
        name, num = row[0], parse_int(row[1], where)
        if name in seen:
            die("%s: duplicate name %s" % (where, name))
        if num >= 0:
            die("%s: pseudo number must be negative" % where)
        seen.add(name)
        out.append((name, num))
    return out


def kernel_nr(col, nr):
    return (nr + COLUMN_BASE.get(col, 0)) | COLUMN_OR.get(col, 0)


def c_ident(col):
    return col.upper()


def check_consistency(columns, table, pseudo):
    pmap = dict(pseudo)
    for name, entry in table.items():
        absent = [c for c in columns if entry[c][0] is None]
        if absent and name not in pmap:
            die("%s is missing on %s but has no pseudo number" % (name, ",".join(absent)))
        if all(entry[c][0] is None for c in columns):
            die("%s is on no ABI" % name)
    for col in columns:
        seen = {}
        for name in sorted(table):
            nr = table[name][col][0]
            if nr is None:
                continue
            if nr in seen:
                die("%s: %s and %s share number %d" % (col, seen[nr], name, nr))
            seen[nr] = name


# Multiplexer syscalls whose per-column numbers arch.c puts in the ABI
# descriptors, as ARCH_GEN_<NAME>_<COLUMN> constants.
MUX_SYSCALLS = ["socketcall", "ipc"]


def gen_header(columns, table):
    count = len(table)
    out = []
    out.append("/* Generated by tools/gen_syscalls.py from syscalls.csv and")
    out.append(" * pseudo-numbers.csv: do not edit.  Internal to lib/arch. */")
    out.append("#ifndef MUZZLE_SYSCALLS_GEN_H")
    out.append("#define MUZZLE_SYSCALLS_GEN_H")
    out.append("")
    out.append("#include <stdint.h>")
    out.append("")
    out.append("#define ARCH_GEN_NAMES %d" % count)
    out.append("")
    out.append("/* One number table per csv column; endianness twins share one. */")
    out.append("enum arch_gen_column {")
    for col in columns:
        out.append("\tARCH_COL_%s," % c_ident(col))
    out.append("\tARCH_COL_COUNT")
    out.append("};")
    out.append("")
    out.append("/* seccomp_data.nr of the multiplexers per column (INT32_MIN: none) */")
    for mux in MUX_SYSCALLS:
        for col in columns:
            nr = table[mux][col][0]
            val = "INT32_MIN" if nr is None else "%d" % kernel_nr(col, nr)
            out.append("#define ARCH_GEN_%s_%s %s" % (mux.upper(), c_ident(col), val))
    out.append("")
    out.append("/* A column's syscall ids sorted by number, for binary search. */")
    out.append("struct arch_gen_rev {")
    out.append("\tconst uint16_t *ids;")
    out.append("\tint count;")
    out.append("};")
    out.append("")
    out.append("/* Kernel versions other than \"unknown\", sorted by column then id. */")
    out.append("struct arch_gen_kver {")
    out.append("\tuint8_t column;")
    out.append("\tuint16_t id;")
    out.append("\tuint16_t kver;")
    out.append("};")
    out.append("")
    out.append("/* names sorted by strcmp(); the index is the syscall id */")
    out.append("extern const char *const arch_gen_name[ARCH_GEN_NAMES];")
    out.append("/* seccomp_data.nr per column and id; INT32_MIN = not on that ABI */")
    out.append("extern const int32_t arch_gen_nr[ARCH_COL_COUNT][ARCH_GEN_NAMES];")
    out.append("extern const struct arch_gen_rev arch_gen_by_nr[ARCH_COL_COUNT];")
    out.append("/* libseccomp pseudo number per id, 0 = none */")
    out.append("extern const int32_t arch_gen_pseudo[ARCH_GEN_NAMES];")
    out.append("/* ids that have a pseudo number, sorted by (pseudo, id) */")
    out.append("extern const uint16_t arch_gen_by_pseudo[];")
    out.append("extern const int arch_gen_by_pseudo_count;")
    out.append("extern const struct arch_gen_kver arch_gen_kvers[];")
    out.append("extern const int arch_gen_kvers_count;")
    out.append("")
    out.append("#endif")
    return "\n".join(out) + "\n"


def gen_source(columns, table, pseudo):
    names = sorted(table)  # Python orders str by code point = strcmp for ASCII
    ids = {n: i for i, n in enumerate(names)}
    pmap = dict(pseudo)
    out = []
    out.append("/* Generated by tools/gen_syscalls.py from syscalls.csv and")
    out.append(" * pseudo-numbers.csv: do not edit. */")
    out.append("#include \"arch/syscalls_gen.h\"")
    out.append("")
    out.append("const char *const arch_gen_name[ARCH_GEN_NAMES] = {")
    for n in names:
        out.append("\t\"%s\"," % n)
    out.append("};")
    out.append("")
    out.append("const int32_t arch_gen_nr[ARCH_COL_COUNT][ARCH_GEN_NAMES] = {")
    for col in columns:
        out.append("\t[ARCH_COL_%s] = {" % c_ident(col))
        for n in names:
            nr = table[n][col][0]
            val = "INT32_MIN" if nr is None else "%d" % kernel_nr(col, nr)
            out.append("\t\t%s,\t/* %s */" % (val, n))
        out.append("\t},")
    out.append("};")
    out.append("")
    for col in columns:
        present = [(kernel_nr(col, table[n][col][0]), ids[n]) for n in names
                   if table[n][col][0] is not None]
        present.sort()
        out.append("static const uint16_t by_nr_%s[%d] = {" % (col, len(present)))
        for nr, i in present:
            out.append("\t%d,\t/* %d %s */" % (i, nr, names[i]))
        out.append("};")
        out.append("")
    out.append("const struct arch_gen_rev arch_gen_by_nr[ARCH_COL_COUNT] = {")
    for col in columns:
        out.append("\t[ARCH_COL_%s] = { by_nr_%s, (int)(sizeof(by_nr_%s) / sizeof(by_nr_%s[0])) },"
                   % (c_ident(col), col, col, col))
    out.append("};")
    out.append("")
    out.append("const int32_t arch_gen_pseudo[ARCH_GEN_NAMES] = {")
    for n in names:
        out.append("\t%d,\t/* %s */" % (pmap.get(n, 0), n))
    out.append("};")
    out.append("")
    byp = sorted((pmap[n], ids[n]) for n in names if n in pmap)
    out.append("const uint16_t arch_gen_by_pseudo[%d] = {" % len(byp))
    for p, i in byp:
        out.append("\t%d,\t/* %d %s */" % (i, p, names[i]))
    out.append("};")
    out.append("const int arch_gen_by_pseudo_count = %d;" % len(byp))
    out.append("")
    kvers = []
    for ci, col in enumerate(columns):
        for n in names:
            nr, kv = table[n][col]
            if nr is not None and kv:
                kvers.append((ci, ids[n], kv))
    # An empty initializer is not valid C11; a zero entry that no lookup can
    # match (kver 0 means "unknown" anyway) keeps the array well-formed.
    out.append("const struct arch_gen_kver arch_gen_kvers[%d] = {" % max(1, len(kvers)))
    for ci, i, kv in kvers:
        out.append("\t{ %d, %d, %d },\t/* %s %s */" % (ci, i, kv, columns[ci], names[i]))
    if not kvers:
        out.append("\t{ 0, 0, 0 },")
    out.append("};")
    out.append("const int arch_gen_kvers_count = %d;" % len(kvers))
    return "\n".join(out) + "\n"


def snr_lines(name, entry, pmap):
    """The __SNR_<name> definition: native number when the compiling ABI's
    <asm/unistd.h> has it, else the pseudo number."""
    arm = entry["arm"][0]
    pad = "\t\t\t"
    if arm is not None and arm >= ARM_PRIVATE_BASE:
        # ARM names these __ARM_NR_*; other ABIs (m68k cacheflush) use __NR_*.
        return ["#if defined(__ARM_NR_%s)" % name,
                "#define __SNR_%s%s__ARM_NR_%s" % (name, pad, name),
                "#elif defined(__NR_%s)" % name,
                "#define __SNR_%s%s__NR_%s" % (name, pad, name),
                "#else",
                "#define __SNR_%s%s__PNR_%s" % (name, pad, name),
                "#endif"]
    if name in pmap:
        return ["#ifdef __NR_%s" % name,
                "#define __SNR_%s%s__NR_%s" % (name, pad, name),
                "#else",
                "#define __SNR_%s%s__PNR_%s" % (name, pad, name),
                "#endif"]
    # Every ABI has it (check_consistency), so the native header must too;
    # if it does not, using SCMP_SYS(name) fails to compile: fail closed.
    return ["#define __SNR_%s%s__NR_%s" % (name, pad, name)]


def gen_public_header(table, pseudo):
    pmap = dict(pseudo)
    out = []
    out.append("/* Syscall numbers for SCMP_SYS(): generated by tools/gen_syscalls.py from")
    out.append(" * syscalls.csv and pseudo-numbers.csv; do not edit.")
    out.append(" *")
    out.append(" * __PNR_<name> are libseccomp's pseudo numbers for calls an ABI lacks;")
    out.append(" * programs carry them in their binaries, so the values are fixed.")
    out.append(" * __SNR_<name> is the native __NR_<name> when <asm/unistd.h> defines it,")
    out.append(" * else __PNR_<name>. */")
    out.append("")
    out.append("#ifndef _SECCOMP_H")
    out.append("#error \"do not include seccomp-syscalls.h directly, use seccomp.h instead\"")
    out.append("#endif")
    out.append("")
    out.append("#ifndef MUZZLE_SECCOMP_SYSCALLS_H")
    out.append("#define MUZZLE_SECCOMP_SYSCALLS_H")
    out.append("")
    for name, num in pseudo:
        out.append("#define __PNR_%s\t\t%d" % (name, num))
    out.append("")
    for name in sorted(table):
        out.extend(snr_lines(name, table[name], pmap))
    out.append("")
    out.append("#endif")
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    print("wrote " + path)


def main(argv):
    args = argv[1:]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if len(args) == 3 and args[1] == "--out":
        top = args[2]
        args = args[:1]
    if len(args) != 1:
        die("usage: gen_syscalls.py DIR [--out TOP] (DIR holds syscalls.csv, pseudo-numbers.csv)")
    src = args[0]
    columns, table = read_syscalls(os.path.join(src, "syscalls.csv"))
    pseudo = read_pseudo(os.path.join(src, "pseudo-numbers.csv"))
    check_consistency(columns, table, pseudo)
    for mux in MUX_SYSCALLS:
        if mux not in table:
            die("syscalls.csv lacks %s" % mux)
    if len(table) >= 0xFFFF:
        die("too many names for uint16_t ids")
    for sub in ("lib/arch", "include"):
        os.makedirs(os.path.join(top, sub), exist_ok=True)
    write_if_changed(os.path.join(top, "lib/arch/syscalls_gen.h"), gen_header(columns, table))
    write_if_changed(os.path.join(top, "lib/arch/syscalls_gen.c"), gen_source(columns, table, pseudo))
    write_if_changed(os.path.join(top, "include/seccomp-syscalls.h"), gen_public_header(table, pseudo))


if __name__ == "__main__":
    main(sys.argv)
