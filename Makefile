# Thin wrapper over Meson: the two commands of the README, and a few helpers.
BUILD   ?= build
ASAN    ?= build-asan
DEMO_DB ?= demo.db
DEMO_LISTEN ?= 127.0.0.1:8080

.PHONY: all deps demo check test asan fuzz bench clean format

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized -Dwerror=true

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true

# The demo company with one web login per role, then the web application on it
# (http://127.0.0.1:8080; Ctrl-C stops it).
demo: all
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/jixiao demo --db $(DEMO_DB) --users
	$(BUILD)/jixiao serve --db $(DEMO_DB) --listen $(DEMO_LISTEN)

check: all $(ASAN)/build.ninja
	ninja -C $(ASAN)
	sh tests/run.sh $(BUILD) $(ASAN)

# Build the libFuzzer targets into build-fuzz/ and run each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: deps
	sh tests/fuzz/build.sh --run $(FUZZ_SECONDS)

# The import benchmark (bench/README.md): BENCH_N contract lines.
BENCH_N ?= 1000000
bench: deps
	sh bench/import/run.sh $(BENCH_N)

# The pay benchmark (bench/pay/README.md): jixiao run against the same period in
# SQLite and PostgreSQL SQL.  BENCH_PAY_SCALE: full (default) or small.
.PHONY: bench-pay
BENCH_PAY_SCALE ?= full
bench-pay: deps
	sh bench/pay/run.sh $(BENCH_PAY_SCALE)

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c
