# Thin wrapper over Meson: the two commands of the README, and a few helpers.
BUILD   ?= build
ASAN    ?= build-asan
DEMO_DB ?= demo.db

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

demo: all
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/jixiao demo --db $(DEMO_DB)

check: all $(ASAN)/build.ninja
	ninja -C $(ASAN)
	sh tests/run.sh $(BUILD) $(ASAN)

fuzz: deps
	sh tests/fuzz/build.sh

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c
