# yingji — build, test, demo and install.
# `make` builds ./yingji; `make test` runs the whole suite; `make demo` loads the seed
# city and writes the June 2020 briefing; `make deps` installs missing Debian packages
# (with sudo when not root; test, demo, bench and fuzz only name what is missing unless
# run as root). SANITIZE=1 builds everything with ASan + UBSan into build/san/ and tests
# that build. WERROR=1 turns warnings into errors (CI and `make dev`; a plain `make` on a
# newer compiler with new warnings still builds). Changing WERROR does not rebuild objects.

PREFIX   ?= /usr/local
CC       ?= cc
V        ?= 0

PKGS      = lua5.4 sqlite3 glib-2.0 cairo pangocairo fontconfig libcrypto libzip zlib expat xlsxwriter \
            libsodium
DEB_PKGS  = liblua5.4-dev libsqlite3-dev libcsv-dev libcairo2-dev libpango1.0-dev libssl-dev \
            fonts-noto-cjk pkg-config poppler-utils sqlite3 python3 clang libclang-rt-14-dev \
            libzip-dev zlib1g-dev libexpat1-dev libfreexl-dev libxlsxwriter-dev python3-openpyxl python3-xlwt \
            gettext locales libsodium-dev
BENCH_PKGS = time python3-matplotlib
WERROR   ?= 0
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wwrite-strings -Wundef -Wformat=2 -Wvla -Wcast-align \
            -Wold-style-definition -Wnull-dereference
ifeq ($(WERROR),1)
WARN     += -Werror
endif
STD       = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE

ifeq ($(SANITIZE),1)
BUILD     = build/san
OPT       = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD     = build/rel
OPT       = -O2 -g
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The yingji binary is linked without the chart library and what only it needs: the first
# require "chart" loads $(CHART_SO) (core/script_modules.c), so a run that draws nothing
# never loads cairo, pango or fontconfig. Everything else linking libyingji.a has
# the library linked in (-u chart_lua_linked pulls it out of the archive).
CHART_PKGS = cairo pangocairo fontconfig
CORE_LIBS  = $(shell pkg-config --libs $(filter-out $(CHART_PKGS),$(PKGS)) 2>/dev/null) \
             -lcsv -lfreexl -lm $(LDLIBS)
CHART_SO_LIBS = $(shell pkg-config --libs lua5.4 $(CHART_PKGS) 2>/dev/null) -lm $(LDLIBS)
# The layers and their include paths: util/ sees only itself, charts/ itself and util/,
# core/ all three (charts/ only through chart_lua.h, in script_modules.c: see
# tests/e2e/include_graph.sh). A charts/ file including a core/ header does not compile.
BASE_CFLAGS = $(STD) $(OPT) $(WARN) $(PKG_CFLAGS) -MMD -MP -fPIC $(CFLAGS)
UTIL_CFLAGS = $(BASE_CFLAGS) -Iutil
CHART_CFLAGS = $(BASE_CFLAGS) -Icharts -Iutil
ALL_CFLAGS = $(STD) $(OPT) $(WARN) -Iutil -Icore -Icharts $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LIBS   = -Wl,-u,chart_lua_linked $(PKG_LIBS) -lcsv -lfreexl -lm $(LDLIBS)

UTIL_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(wildcard util/*.c))
CHART_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard charts/*.c))
CORE_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(filter-out core/main.c,$(wildcard core/*.c)))
# libyingji.a holds every layer (what yingji, the tests, bench and fuzz link);
# libyjchart.a and libyjutil.a are the lower layers alone: the chart tests link only
# those, so a call from charts/ up into core/ does not link either.
LIB_OBJ   = $(CORE_OBJ) $(CHART_OBJ) $(UTIL_OBJ)
CHART_LIBS = $(BUILD)/libyjchart.a $(BUILD)/libyjutil.a
MAIN_OBJ  = $(BUILD)/core/main.o
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  = $(wildcard bench/*.c)
TOOL_BIN  = $(TOOL_SRC:bench/%.c=$(BUILD)/bench/%)
YINGJI    = $(BUILD)/yingji
# The message catalogs (po/README): po/LANG.po compiled into BUILD/locale, where the
# binary finds them (util/i18n.c); installed under PREFIX/share/locale.
PO_LANGS  = zh_CN
MO_FILES  = $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/yingji.mo)
CHART_SO  = $(BUILD)/yingji-chart.so

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all dev deps bench-deps install-missing need-deps test demo bench install clean fuzz tools \
        print-cflags print-libs locales pot
all: yingji

# The developer's build: warnings are errors, the test binaries and tools too.
dev:
	$(Q)$(MAKE) --no-print-directory yingji $(UNIT_BIN) $(TOOL_BIN) WERROR=1

yingji: $(YINGJI) $(CHART_SO) $(CHART_LIBS) $(MO_FILES)
ifneq ($(SANITIZE),1)
	$(Q)cp $(YINGJI) yingji
	$(Q)cp $(CHART_SO) yingji-chart.so
endif

# yingji exports its zipOpenNewFileInZip4_64 so that libxlsxwriter's call into minizip
# reaches it (the workbooks' deflate level: core/script_xlsx.c, docs/performance.md).
XLSX_LDFLAGS = -Wl,--export-dynamic-symbol=zipOpenNewFileInZip4_64

$(YINGJI): $(MAIN_OBJ) $(BUILD)/libyingji.a | $(CHART_SO)
	@echo "  LINK  $@"
	$(Q)$(CC) $(OPT) $(LDFLAGS) $(XLSX_LDFLAGS) -o $@ $^ $(CORE_LIBS)

# The chart library alone, for the yingji binary to load on demand.
$(CHART_SO): $(CHART_OBJ) $(BUILD)/libyjutil.a
	@echo "  LINK  $@"
	$(Q)$(CC) $(OPT) $(LDFLAGS) -shared -o $@ $^ $(CHART_SO_LIBS)

$(BUILD)/libyingji.a: $(LIB_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libyjchart.a: $(CHART_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libyjutil.a: $(UTIL_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/charts/%.o: charts/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CHART_CFLAGS) -c -o $@ $<

$(BUILD)/util/%.o: util/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(UTIL_CFLAGS) -c -o $@ $<

# An installed binary's catalogs (found first beside the binary: util/i18n.c).
$(BUILD)/util/i18n.o: UTIL_CFLAGS += -DYJ_LOCALEDIR='"$(PREFIX)/share/locale"'

# A catalog: checked (msgfmt -c: format strings agree) and compiled. Without msgfmt
# (gettext not installed: make deps) yingji builds, and speaks English.
$(BUILD)/locale/%/LC_MESSAGES/yingji.mo: po/%.po
	@mkdir -p $(dir $@)
	@if command -v msgfmt >/dev/null 2>&1; then echo "  MSGFMT $<"; \
	  msgfmt -c -o $@ $<; else \
	  echo "make: msgfmt not found (install gettext: make deps); messages stay English" >&2; fi

# po/yingji.pot from the sources, and po/*.po merged with it (then translate: po/README).
pot:
	$(Q)sh po/extract.sh po/yingji.pot
	$(Q)for l in $(PO_LANGS); do msgmerge -q --update --backup=none --no-wrap --no-fuzzy-matching --add-location=file po/$$l.po po/yingji.pot; done

# The chart tests see the chart layer only: its headers, and its archive and util's.
$(BUILD)/tests/test_chart_%: tests/unit/test_chart_%.c $(CHART_LIBS) tests/unit/check.h tests/unit/lua_check.h
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	$(Q)$(CC) $(CHART_CFLAGS) -Itests/unit -o $@ $< $(CHART_LIBS) $(ALL_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libyingji.a tests/unit/check.h
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libyingji.a $(ALL_LIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libyingji.a
	@mkdir -p $(dir $@)
	@echo "  TOOL  $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libyingji.a $(ALL_LIBS)

tools: $(TOOL_BIN)

# What a program linking libyingji.a needs (fuzz/run.sh builds its harnesses with these).
print-cflags:
	@echo $(PKG_CFLAGS)
print-libs:
	@echo $(ALL_LIBS)

# Installs only what is missing; apt-get runs only when something is absent.
deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PKGS)"
	@$(MAKE) --no-print-directory locales
bench-deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PKGS) $(BENCH_PKGS)"
	@$(MAKE) --no-print-directory locales
# The zh_CN.UTF-8 locale, for the tests of both languages: generated only when missing.
locales:
	@if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then \
	  echo "make deps: generating the zh_CN.UTF-8 locale"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen && \
	  { grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $$SUDO tee -a /etc/locale.gen >/dev/null; } && \
	  $$SUDO locale-gen; fi
install-missing:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Like install-missing, but never sudo: as root it installs, otherwise it names the
# packages (and `make deps`) and fails.
need-deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make: installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "make: missing Debian packages:$$missing" >&2; \
	    echo "make: install them (sudo apt-get install$$missing, or make deps) and run again" >&2; \
	    exit 1; \
	  fi; \
	fi

test:
	@$(MAKE) --no-print-directory need-deps PACKAGES="$(DEB_PKGS)"
	$(Q)$(MAKE) --no-print-directory yingji $(UNIT_BIN) $(TOOL_BIN) SANITIZE=$(SANITIZE)
	$(Q)YINGJI=$(CURDIR)/$(YINGJI) BUILD=$(CURDIR)/$(BUILD) sh tests/run.sh

demo:
	@$(MAKE) --no-print-directory need-deps PACKAGES="$(DEB_PKGS)"
	$(Q)$(MAKE) --no-print-directory yingji
	$(Q)sh seeds/demo.sh ./yingji

bench:
	@$(MAKE) --no-print-directory need-deps PACKAGES="$(DEB_PKGS) $(BENCH_PKGS)"
	$(Q)$(MAKE) --no-print-directory yingji $(TOOL_BIN)
	$(Q)YINGJI=$(CURDIR)/yingji BUILD=$(CURDIR)/$(BUILD) sh bench/run.sh

# Each libFuzzer harness for FUZZ_SECS seconds, then the SIGKILL crash loop with more kills,
# then every single-bit flip of a small signed archive (tests/e2e/archive_bitflip.sh).
FUZZ_SECS ?= 300
fuzz:
	@$(MAKE) --no-print-directory need-deps PACKAGES="$(DEB_PKGS)"
	$(Q)$(MAKE) --no-print-directory yingji $(TOOL_BIN)
	$(Q)sh fuzz/run.sh -t $(FUZZ_SECS)
	$(Q)YINGJI=$(CURDIR)/$(YINGJI) BUILD=$(CURDIR)/$(BUILD) CRASH_KILLS=200 sh tests/run.sh crash_
	$(Q)YINGJI=$(CURDIR)/$(YINGJI) BUILD=$(CURDIR)/$(BUILD) YJ_BITFLIPS=all \
	    YJ_BITFLIP_FILE=$(CURDIR)/fuzz/corpus/fuzz_archive/small2.yjar sh tests/run.sh archive_bitflip

install: yingji
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/yingji/scripts/lib \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 yingji $(DESTDIR)$(PREFIX)/bin/yingji
	install -d $(DESTDIR)$(PREFIX)/lib/yingji
	install -m 644 yingji-chart.so $(DESTDIR)$(PREFIX)/lib/yingji/yingji-chart.so
	install -m 644 scripts/*.lua $(DESTDIR)$(PREFIX)/share/yingji/scripts/
	install -m 644 scripts/lib/*.lua $(DESTDIR)$(PREFIX)/share/yingji/scripts/lib/
	install -m 644 docs/yingji.1 $(DESTDIR)$(PREFIX)/share/man/man1/yingji.1
	for l in $(PO_LANGS); do \
	  [ -f $(BUILD)/locale/$$l/LC_MESSAGES/yingji.mo ] || continue; \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/yingji.mo \
	    $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/yingji.mo; done

clean:
	rm -rf build yingji yingji-chart.so

# Every object's and every test and tool binary's header dependencies (-MMD -MP), so a
# changed header (tests/charts/fixtures.h, say) rebuilds the binaries that include it.
-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d)
