# hzm — the one build. `make help` lists the targets.

CC	?= cc
SAN	?=
BUILD	:= $(if $(SAN),build/san,build/opt)
BIN	:= $(if $(SAN),build/san/bin,bin)

# Tables (routes, fields, statements) leave unused members out.
WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	   -Wno-format-nonliteral -Wno-missing-field-initializers
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
OPTFLAGS := $(if $(SAN),-O1 $(SANFLAGS),-O2)
CFLAGS	?= $(OPTFLAGS) -g
CFLAGS	+= -std=gnu11 $(WARN) -I. -I/usr/include/postgresql -D_FORTIFY_SOURCE=2 \
	   -fstack-protector-strong
LDFLAGS	+= $(if $(SAN),$(SANFLAGS))
LIBS	:= -lfcgi -lpq -ljson-c -lcrypto -lmemcached -largon2 -ljwt -loath -lcurl

CORE_SRC	:= $(wildcard core/*.c)
CORE_OBJ	:= $(CORE_SRC:%.c=$(BUILD)/%.o)
LIBCORE		:= $(BUILD)/libcore.a
DOMAIN_SRC	:= $(wildcard domain/*.c)
DOMAIN_OBJ	:= $(DOMAIN_SRC:%.c=$(BUILD)/%.o)
LIBDOMAIN	:= $(BUILD)/libdomain.a
# Programs link the business services, then the platform under them.
LIBS_HZM	:= $(LIBDOMAIN) $(LIBCORE)
HANDLERS	:= $(patsubst handlers/%.c,$(BIN)/%.fcgi,$(wildcard handlers/*.c))
TOOLS		:= $(BIN)/hzmctl
CRON		:= $(patsubst cron/%.c,$(BIN)/cron-%,$(wildcard cron/*.c))
MATCHER_BIN	:= $(if $(wildcard matcher/bench.c),$(BIN)/matcher-bench)
BOOK_OBJ	:= $(if $(wildcard matcher/book.c),$(BUILD)/matcher/book.o $(BUILD)/matcher/book_view.o $(BUILD)/matcher/stops.o)
MATCHERD	:= $(if $(wildcard matcher/main.c),$(BIN)/matcher)
MATCHERD_OBJ	:= $(BUILD)/matcher/main.o $(BUILD)/matcher/batch.o \
		   $(BUILD)/matcher/engine.o \
		   $(BUILD)/matcher/engine_stop.o $(BUILD)/matcher/engine_oco.o \
		   $(BUILD)/matcher/engine_tab.o \
		   $(BUILD)/matcher/quote.o \
		   $(BUILD)/matcher/store.o $(BUILD)/matcher/store_direct.o \
		   $(BUILD)/matcher/store_load.o \
		   $(BUILD)/matcher/admit.o $(BUILD)/matcher/admit_day.o \
		   $(BUILD)/matcher/admit_auth.o \
		   $(BUILD)/matcher/publish.o \
		   $(BUILD)/matcher/feed.o \
		   $(BUILD)/matcher/gate.o $(BOOK_OBJ)
STREAMER_SRC	:= $(wildcard streamer/*.c)
STREAMER_OBJ	:= $(STREAMER_SRC:%.c=$(BUILD)/%.o)
STREAMERD	:= $(if $(STREAMER_SRC),$(BIN)/streamer)
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
UNIT_BIN	:= $(patsubst tests/unit/test_%.c,$(BUILD)/t/%.t,$(UNIT_SRC))
GEN_BIN		:= $(if $(wildcard tests/bench/gen_orders.c),$(BUILD)/tests/gen_orders)
WSLOAD_BIN	:= $(if $(wildcard tests/bench/ws_load.c),$(BUILD)/tests/ws_load)
FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz_*.c)

HZM_VAR	?= $(CURDIR)/var
export HZM_VAR

.PHONY: all help deps run start stop status deploy migrate psql test unit \
	api bench lint fuzz docs docs-check clean

all: $(HANDLERS) $(TOOLS) $(CRON) $(MATCHER_BIN) $(MATCHERD) $(STREAMERD) \
	$(UNIT_BIN) $(GEN_BIN) $(WSLOAD_BIN)

help:
	@echo "make deps      install the Debian packages hzm needs (idempotent)"
	@echo "make run       build, start the whole stack in the foreground; Ctrl-C stops it"
	@echo "make start     the same in the background; make stop ends it"
	@echo "make deploy H=NAME   rebuild one handler and swap it into the running stack"
	@echo "make migrate   apply new sql/NNN_*.sql migrations to the running stack"
	@echo "make psql      psql on the running stack's database, as its owner hzm_owner"
	@echo "make test      unit and API tests (SAN=1: under ASan+UBSan)"
	@echo "make bench     throughput figures"
	@echo "make fuzz      run each libFuzzer target briefly"
	@echo "make lint      refuse banned functions"
	@echo "make docs      regenerate docs/openapi.json from docs/openapi.py, and the SDK's types from it;"
	@echo "               docs/asyncapi.json and its page docs/asyncapi.html from docs/asyncapi.py"
	@echo "make docs-check  lint the OpenAPI and AsyncAPI documents (make test runs it)"

deps:
	@scripts/deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBDOMAIN): $(DOMAIN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/%.fcgi: $(BUILD)/handlers/%.o $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BIN)/hzmctl: $(BUILD)/tools/hzmctl.o $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BIN)/cron-%: $(BUILD)/cron/%.o $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BIN)/matcher-bench: $(BUILD)/matcher/bench.o $(BOOK_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

$(BIN)/matcher: $(MATCHERD_OBJ) $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BIN)/streamer: $(STREAMER_OBJ) $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LIBS) -lwebsockets -o $@

# The engine's unit tests link the engine itself (no database needed).
ENGINE_OBJ	:= $(BUILD)/matcher/engine.o $(BUILD)/matcher/engine_stop.o \
		   $(BUILD)/matcher/engine_oco.o $(BUILD)/matcher/engine_tab.o \
		   $(BUILD)/matcher/quote.o
$(BUILD)/t/engine_flow.t: $(ENGINE_OBJ)
$(BUILD)/t/engine_limits.t: $(ENGINE_OBJ)
$(BUILD)/t/engine_stream.t: $(ENGINE_OBJ)
$(BUILD)/t/engine_stops.t: $(ENGINE_OBJ)
$(BUILD)/t/engine_oco.t: $(ENGINE_OBJ)

$(BUILD)/tests/ws_load: $(BUILD)/tests/bench/ws_load.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/gen_orders: $(BUILD)/tests/bench/gen_orders.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

$(BUILD)/t/%.t: $(BUILD)/tests/unit/test_%.o $(BOOK_OBJ) $(LIBS_HZM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter-out $(LIBS_HZM),$^) $(LIBS_HZM) $(LIBS) -o $@

-include $(shell find build -name '*.d' 2>/dev/null)

# run and start work on a fresh machine: packages first, then the build.
run:
	@scripts/deps
	@$(MAKE) --no-print-directory all
	@scripts/stack run

start:
	@scripts/deps
	@$(MAKE) --no-print-directory all
	@scripts/stack start

stop:
	@scripts/stack stop

status:
	@scripts/stack status

deploy:
	@test -n "$(H)" || { echo "usage: make deploy H=<handler>"; exit 2; }
	@$(MAKE) --no-print-directory $(BIN)/$(H).fcgi
	@scripts/stack deploy $(H)

migrate:
	@scripts/stack migrate

psql:
	@scripts/stack psql

unit: all
	prove --exec '' $(UNIT_BIN)

api: all
	HZM_BIN=$(CURDIR)/$(BIN) HZM_SAN=$(SAN) tests/api/run

test: lint all docs-check
	prove --exec '' $(UNIT_BIN)
	HZM_BIN=$(CURDIR)/$(BIN) HZM_SAN=$(SAN) tests/api/run

bench: all
	HZM_BIN=$(CURDIR)/$(BIN) tests/bench/run

fuzz:
	@scripts/fuzz $(FUZZ_SRC)

# The OpenAPI document, then the TypeScript SDK's types generated from it
# (openapi-typescript) and the SDK type-checked against them (make deps
# installs the sdk's npm packages).
docs:
	python3 docs/openapi.py > docs/openapi.json.new && mv docs/openapi.json.new docs/openapi.json
	python3 docs/asyncapi.py json > docs/asyncapi.json.new && mv docs/asyncapi.json.new docs/asyncapi.json
	python3 docs/asyncapi.py html > docs/asyncapi.html.new && mv docs/asyncapi.html.new docs/asyncapi.html
	@test -x sdk/node_modules/.bin/openapi-typescript || { echo "docs: the sdk's npm packages are missing: make deps" >&2; exit 1; }
	cd sdk && node_modules/.bin/openapi-typescript ../docs/openapi.json -o src/schema.d.ts --silent && \
	    node_modules/.bin/tsc --noEmit -p .

# The published descriptions as they are committed: each the output of its
# generator, the OpenAPI document clean under @redocly/cli's lint
# (docs/redocly.yaml: no error, no warning), the AsyncAPI document valid
# for @asyncapi/parser (make deps installs both in docs/ui/).
docs-check:
	@test -x docs/ui/node_modules/.bin/redocly || { echo "docs-check: docs/ui's npm packages are missing: make deps" >&2; exit 1; }
	python3 docs/openapi.py | cmp -s - docs/openapi.json || { echo "docs-check: docs/openapi.json is stale: make docs" >&2; exit 1; }
	python3 docs/asyncapi.py json | cmp -s - docs/asyncapi.json || { echo "docs-check: docs/asyncapi.json is stale: make docs" >&2; exit 1; }
	python3 docs/asyncapi.py html | cmp -s - docs/asyncapi.html || { echo "docs-check: docs/asyncapi.html is stale: make docs" >&2; exit 1; }
	cd docs && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	    ui/node_modules/.bin/redocly lint openapi.json --config redocly.yaml --max-problems 50
	node docs/ui/check-asyncapi.mjs docs/asyncapi.json

lint:
	@scripts/lint

clean:
	rm -rf build bin
