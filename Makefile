# fifuzz: `make` builds ./fifuzz and its man page ./fifuzz.1 (`make man` the page alone);
# `make test` runs unit + integration tests; `make demo` runs the seed post's example;
# `make bench` prints speed ratios; `make fuzz-reader` builds the trace reader's AFL++ harness (docs/fuzzing.md).
CC      ?= cc
PKGS    := libseccomp libxxhash libdw
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. -MMD -MP
CFLAGS  += $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS))
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS  += -DFF_VERSION=\"$(VERSION)\"

ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-5s %s\n' $(1) $(2)
endif

B        := build
LIB_SRC  := $(wildcard core/*.c core/*/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(patsubst %.c,$(B)/%.o,$(wildcard cli/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(B)/unit-tests
# The trace reader's fuzz harness, built plainly (no AFL++) for the regression
# test over corpus/traces/; `make fuzz-reader` builds the AFL++ one.
FUZZ_BIN := $(B)/fuzz-reader

.PHONY: all man test unit integ demo bench format clean deps fuzz-reader
all: fifuzz fifuzz.1

core/errnoent.h: scripts/gen_errnoent.sh
	$(call msg,GEN,$@)
	$(Q)sh scripts/gen_errnoent.sh $(CC) > $@.tmp && mv $@.tmp $@

# Objects follow the flags they were built with (SANITIZE=1, V=1 ...): a change rebuilds them.
FLAGS_STAMP := $(B)/flags.$(shell echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cksum | cut -d' ' -f1)
$(FLAGS_STAMP):
	@mkdir -p $(B)
	@rm -f $(B)/flags.*
	@touch $@

$(LIB_OBJ) $(CLI_OBJ): $(FLAGS_STAMP) | core/errnoent.h

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

fifuzz: $(CLI_OBJ) $(LIB_OBJ) $(FLAGS_STAMP)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_OBJ) $(LDLIBS)

# The man page's catalogue table is generated: the line @CATALOGUE@ in
# docs/fifuzz.1.in becomes the output of `fifuzz list --roff`.
fifuzz.1: docs/fifuzz.1.in fifuzz
	$(call msg,GEN,$@)
	$(Q)./fifuzz list --roff > $@.tbl
	$(Q)awk -v tbl=$@.tbl '$$0 != "@CATALOGUE@" { print; next } { while ((getline l < tbl) > 0) print l; n++ } \
		END { exit n != 1 }' docs/fifuzz.1.in > $@.tmp || \
		{ echo "docs/fifuzz.1.in: needs exactly one @CATALOGUE@ line" >&2; rm -f $@.tbl $@.tmp; exit 1; }
	$(Q)rm -f $@.tbl && mv $@.tmp $@

man: fifuzz.1

$(UNIT_BIN): $(UNIT_SRC) $(LIB_OBJ) | core/errnoent.h
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(UNIT_SRC) $(LIB_OBJ) $(LDLIBS) $(shell pkg-config --libs criterion)

$(FUZZ_BIN): fuzz/reader/harness.c $(LIB_OBJ) | core/errnoent.h
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ fuzz/reader/harness.c $(LIB_OBJ) $(LDLIBS)

fuzz-reader:
	$(Q)$(MAKE) -s -C fuzz/reader

unit: $(UNIT_BIN)
	$(UNIT_BIN) --jobs 1

integ: fifuzz $(FUZZ_BIN)
	$(Q)$(MAKE) -s -C tests/integ targets
	$(Q)sh tests/integ/run.sh

test: deps
	$(Q)$(MAKE) -s fifuzz $(UNIT_BIN) $(FUZZ_BIN)
	$(Q)$(MAKE) -s run-tests

run-tests: fifuzz $(UNIT_BIN) $(FUZZ_BIN)
	$(UNIT_BIN) --jobs 1
	$(Q)$(MAKE) -s -C tests/integ targets
	$(Q)sh tests/integ/run.sh

deps:
	$(Q)sh scripts/install-deps.sh

demo: deps
	$(Q)$(MAKE) -s fifuzz
	$(Q)sh scripts/demo.sh

bench: fifuzz
	$(Q)$(MAKE) -s -C tests/bench
	$(Q)sh tests/bench/run.sh

format:
	clang-format -i core/*.[ch] core/*/*.[ch] cli/*.[ch] tests/unit/*.c tests/bench/*.c tests/integ/targets/*.c

clean:
	rm -rf $(B) fifuzz fifuzz.1 core/errnoent.h
	-$(MAKE) -s -C tests/integ clean
	-$(MAKE) -s -C tests/bench clean
	-$(MAKE) -s -C fuzz/reader clean

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# `make hunt` runs every recipe of fuzz/targets/ (real programs from Debian, installed when missing) and
# writes hunt-out/hunt.md and hunt-out/hunt.json; `make hunt T=sqlite3` runs one; RUNS=N, JOBS=N.
# Not part of `make test`: it takes about half an hour.
.PHONY: hunt
hunt: fifuzz
	$(Q)sh fuzz/hunt.sh $(T)
