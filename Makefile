# muzzle: plain GNU make.  `make` builds the library, the formats and the
# command; `make check` installs test dependencies and runs every test, in a
# normal and an ASan+UBSan build; `make demo` shows the main job.

VERSION      := 0.1.0
SOVERSION    := 0
PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man
DATADIR      ?= $(PREFIX)/share
DESTDIR      ?=

CC           ?= cc
B            ?= build
OPT          ?= -O2 -g
SAN          ?=
WERROR       ?= -Werror
CFLAGS_ALL    = -std=gnu11 $(OPT) $(SAN) -Wall -Wextra $(WERROR) -fPIC \
		-Wno-missing-field-initializers $(CFLAGS)
CPPFLAGS_ALL  = -D_GNU_SOURCE -Ilib -Iinclude -Iformats -Icli $(CPPFLAGS)
LDFLAGS_ALL   = $(SAN) $(LDFLAGS)

LIB_SRC      := $(sort $(shell find lib -name '*.c'))
FMT_SRC      := $(sort $(wildcard formats/*.c))
CLI_SRC      := $(sort $(filter-out %.bpf.c,$(wildcard cli/*.c)))
TEST_SRC     := $(sort $(wildcard tests/test_*.c))
TEST_SH      := $(sort $(wildcard tests/test_*.sh))

LIB_OBJ      := $(LIB_SRC:%.c=$(B)/%.o)
FMT_OBJ      := $(FMT_SRC:%.c=$(B)/%.o)
CLI_OBJ      := $(CLI_SRC:%.c=$(B)/%.o)
TEST_BIN     := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_SHB     := $(TEST_SH:tests/%=$(B)/tests/%)

LIBA         := $(B)/libmuzzle.a
LIBSO        := $(B)/libmuzzle.so.$(VERSION)
FMTA         := $(B)/libmuzzle-formats.a
MUZZLE       := $(B)/muzzle
FMT_LIBS     := -ljson-c

.PHONY: all demo check test deps deps-test deps-bench bench fuzz gen install uninstall clean \
	check-normal check-asan

all: $(LIBA) $(LIBSO) $(FMTA) $(MUZZLE) $(B)/muzzle.pc

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBSO): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmuzzle.so.$(SOVERSION) $(LDFLAGS_ALL) -o $@ $^
	ln -sf libmuzzle.so.$(VERSION) $(B)/libmuzzle.so.$(SOVERSION)
	ln -sf libmuzzle.so.$(SOVERSION) $(B)/libmuzzle.so

$(FMTA): $(FMT_OBJ)
	@rm -f $@
	ar rcs $@ $^

# muzzle learn --backend ebpf, when libbpf and clang are here.  Only the
# command links libbpf; the BPF object gets none of the host (sanitizer) flags.
HAVE_LIBBPF  := $(shell pkg-config --exists libbpf 2>/dev/null && command -v clang >/dev/null && echo 1)
# learn_ebpf.o is a stub without libbpf: rebuild it when that changes
LIBBPF_SEEN  := $(B)/cli/.have-libbpf
$(shell mkdir -p $(B)/cli; [ "$$(cat $(LIBBPF_SEEN) 2>/dev/null)" = "libbpf=$(HAVE_LIBBPF)" ] || \
	echo "libbpf=$(HAVE_LIBBPF)" > $(LIBBPF_SEEN))
$(B)/cli/learn_ebpf.o: $(LIBBPF_SEEN)
ifeq ($(HAVE_LIBBPF),1)
CLI_OBJ      += $(B)/cli/learn_ebpf_obj.o
CLI_LIBS     := $(shell pkg-config --libs libbpf)
$(CLI_OBJ): CPPFLAGS_ALL += -DMUZZLE_HAVE_LIBBPF $(shell pkg-config --cflags libbpf)

$(B)/cli/learn_ebpf.bpf.o: cli/learn_ebpf.bpf.c cli/learn_ebpf_shared.h
	@mkdir -p $(dir $@)
	clang -O2 -g -target bpf -I/usr/include/$(shell gcc -print-multiarch) -Wall -Werror \
		-c $< -o $@

$(B)/cli/learn_ebpf_obj.o: cli/learn_ebpf_obj.S $(B)/cli/learn_ebpf.bpf.o
	$(CC) -Wa,-I$(B)/cli -c $< -o $@
endif

$(MUZZLE): $(CLI_OBJ) $(FMTA) $(LIBA)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(FMTA) $(LIBA) $(FMT_LIBS) $(CLI_LIBS) -lpthread

PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|'

$(B)/muzzle.pc: muzzle.pc.in
	@mkdir -p $(B)
	$(PC_SED) $< > $@

$(B)/tests/%: tests/%.c tests/harness.h tests/live_guard.h tests/textpol.h $(FMTA) $(LIBA)
	@mkdir -p $(B)/tests
	$(CC) $(CPPFLAGS_ALL) -Itests $(CFLAGS_ALL) -o $@ $< $(FMTA) $(LIBA) $(FMT_LIBS) $(LDFLAGS_ALL) -ldl -lpthread

$(B)/tests/%.sh: tests/%.sh
	@mkdir -p $(B)/tests
	cp $< $@ && chmod +x $@

deps:
	@sh tools/deps.sh build

deps-test:
	@sh tools/deps.sh test

deps-bench:
	@sh tools/deps.sh bench

demo: deps all
	@sh tools/demo.sh $(B)

# The test programs find the tree and the build through these.
export MUZZLE_TOP := $(CURDIR)

test: all $(TEST_BIN) $(TEST_SHB)
	@MUZZLE_BUILD=$(abspath $(B)) sh tests/run.sh $(B)/tests "$(LABEL)"

check-normal:
	@$(MAKE) --no-print-directory test B=build LABEL="normal build: " 2>&1 | tee build-check-normal.log

check-asan:
	@$(MAKE) --no-print-directory test B=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LABEL="asan+ubsan build: " 2>&1 | tee build-check-asan.log

check: deps-test
	@rc=0; $(MAKE) --no-print-directory check-normal || rc=1; \
	$(MAKE) --no-print-directory check-asan || rc=1; \
	grep -h '^assurance:' build-check-normal.log build-check-asan.log | sort -u; \
	sh tools/sum-results.sh build-check-normal.log build-check-asan.log; exit $$rc

bench: deps-bench all
	@sh bench/run.sh $(B)

fuzz:
	@sh fuzz/run.sh

gen:
	python3 tools/gen_syscalls.py ../shared/syscalls

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/muzzle $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf libmuzzle.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmuzzle.so.$(SOVERSION)
	ln -sf libmuzzle.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libmuzzle.so
	install -m 644 include/*.h $(DESTDIR)$(INCLUDEDIR)/muzzle/
	$(PC_SED) muzzle.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/muzzle.pc
	install -m 755 $(MUZZLE) $(DESTDIR)$(BINDIR)/
	for f in man/*.1; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANDIR)/man1/; done; true
	for f in man/*.3; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANDIR)/man3/; done; true
	[ -e tools/muzzle.bash-completion ] && install -m 644 tools/muzzle.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/muzzle; true

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libmuzzle.a $(DESTDIR)$(LIBDIR)/libmuzzle.so* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/muzzle.pc $(DESTDIR)$(BINDIR)/muzzle \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/muzzle
	rm -rf $(DESTDIR)$(INCLUDEDIR)/muzzle
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$f); done; true
	for f in man/*.3; do rm -f $(DESTDIR)$(MANDIR)/man3/$$(basename $$f); done; true

clean:
	rm -rf build build-asan build-check-*.log

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
