#!/bin/sh
# audit --html and diff --html: the page exists, parses, balances the tags
# muzzle writes, loads nothing from outside, names the denied / differing
# syscalls, and escapes hostile text (a command argument, a policy comment,
# a file name).
M="$MUZZLE_BUILD/muzzle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

if ! command -v python3 >/dev/null; then echo "SKIP html: needs python3"; exit 0; fi

# check_page NAME FILE WORD...: well-formed, self-contained, no live markup
# from the input, and each WORD in a table cell.
cat > check.py <<'P'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.cells, self.cell = [], [], [], None
        self.tags = set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href") or k.startswith("on") or "url(" in (v or ""):
                self.errors.append("external or active attribute %s=%r" % (k, v))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("td", "th"):
            self.cell = ""
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
            return
        self.stack.pop()
        if tag in ("td", "th"):
            self.cells.append(self.cell)
            self.cell = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
    def handle_startendtag(self, tag, attrs):
        self.errors.append("self-closing <%s/>" % tag)
page = open(sys.argv[1], encoding="utf-8").read()
c = Check()
c.feed(page)
c.close()
if not page.startswith("<!DOCTYPE html>"):
    c.errors.append("no doctype")
if c.stack:
    c.errors.append("unclosed: %s" % c.stack)
for bad in ("script", "iframe", "img", "link", "object", "embed"):
    if bad in c.tags:
        c.errors.append("a <%s> element" % bad)
if "@import" in page:
    c.errors.append("@import in the style")
for w in sys.argv[2:]:
    if not any(w == cell.strip() or w in cell.split() for cell in c.cells):
        c.errors.append("no table cell says %r" % w)
print("; ".join(c.errors))
sys.exit(1 if c.errors else 0)
P
check_page() {
	name=$1; file=$2; shift 2
	if [ ! -s "$file" ]; then fail "$name" "no page written"; return; fi
	if msg=$(python3 check.py "$file" "$@" 2>&1); then ok "$name"; else fail "$name" "$msg"; fi
}

# a policy whose rule comment is markup, denying chmod and mkdir
cat > pol.json <<'J'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
 {"names":["chmod","fchmodat"],"action":"SCMP_ACT_ERRNO","comment":"<script>alert('comment')</script> & co"},
 {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}
J
touch f
timeout 60 "$M" audit -p pol.json --html audit.html -- sh -c \
	'chmod 600 f; mkdir d; : "<script>alert(1)</script>"' 2>audit.err
rc=$?
[ $rc -eq 0 ] && ok "audit --html: command's status" || fail "audit --html: command's status" "exit $rc: $(cat audit.err)"
chmodcall=$(grep -o 'fchmodat\|chmod' audit.err | head -1)
mkdircall=$(grep -o 'mkdirat\|mkdir' audit.err | head -1)
check_page "audit --html: well-formed, names the denied calls" audit.html "$chmodcall" "$mkdircall"
if grep -q '<script' audit.html; then fail "audit --html: escapes" "raw <script in the page"
elif grep -q '&lt;script&gt;alert(&#39;comment&#39;)' audit.html &&
     grep -q '&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;' audit.html; then ok "audit --html: escapes"
else fail "audit --html: escapes" "comment or argument missing from the page"; fi
# the text report still goes to stderr
grep -q 'would have denied 2 distinct' audit.err && ok "audit --html: text report too" ||
	fail "audit --html: text report too" "$(head -2 audit.err)"

# nothing denied: a page that says so, no table
timeout 60 "$M" audit -p pol.json --html quiet.html -- true 2>/dev/null
check_page "audit --html: nothing denied" quiet.html
grep -q 'denied nothing' quiet.html && ! grep -q '<table' quiet.html &&
	ok "audit --html: says nothing was denied" || fail "audit --html: says nothing was denied" "$(cat quiet.html)"

# an unwritable page: one error line, a system error
timeout 60 "$M" audit -p pol.json --html "$T/no/such/dir/x.html" -- true 2>err; rc=$?
[ $rc -eq 4 ] && [ "$(wc -l < err)" -ge 1 ] && grep -q 'muzzle audit: .*x.html' err &&
	ok "audit --html: unwritable file" || fail "audit --html: unwritable file" "exit $rc: $(cat err)"

# diff: a hostile file name, two differing calls
cat > '<b>a<script>.json' <<'J'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}
J
cat > b.json <<'J'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_KILL"}]}
J
"$M" diff --arch x86_64 '<b>a<script>.json' b.json --html diff.html >diff.out 2>diff.err; rc=$?
[ $rc -eq 1 ] && ok "diff --html: status 1" || fail "diff --html: status 1" "exit $rc: $(cat diff.err)"
check_page "diff --html: well-formed, names the differing calls" diff.html chmod mkdir
if grep -q '<script\|<b>a' diff.html; then fail "diff --html: escapes the file name" "raw markup"
elif grep -q '&lt;b&gt;a&lt;script&gt;.json' diff.html; then ok "diff --html: escapes the file name"
else fail "diff --html: escapes the file name" "name missing"; fi
# as many rows as text lines
rows=$(grep -c '^<tr><td' diff.html); lines=$(wc -l < diff.out)
[ "$rows" -eq "$lines" ] && [ "$rows" -ge 2 ] && ok "diff --html: one row per difference" ||
	fail "diff --html: one row per difference" "$rows rows, $lines lines"

"$M" diff b.json b.json --html same.html >/dev/null; rc=$?
check_page "diff --html: equal inputs" same.html
[ $rc -eq 0 ] && grep -q 'same action' same.html && ! grep -q '<table' same.html &&
	ok "diff --html: says they are equal" || fail "diff --html: says they are equal" "exit $rc"
