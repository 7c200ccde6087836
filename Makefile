# sinew: `make run` installs what is missing, builds and learns to walk (the default job);
# `make test` installs, builds and runs the whole test suite.
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
ARGS ?=

.PHONY: all deps web configure build run test bench format format-check clean

all: build

deps:
	@bash scripts/install-deps.sh

# the dashboard front end (web/): npm packages from package-lock.json, bundled into web/dist,
# which the C++ build embeds into the binary
web: deps
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent build

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: deps web $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# learns to walk (experiment gait_track_ppo unless ARGS picks another), then writes walk.html
# and walk.sto into the run folder
run: build
	SINEW=$(BUILD_DIR)/sinew bash scripts/run_default.sh $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800

bench: build
	bash bench/run_all.sh

# C++ style (.clang-format): `format` rewrites the sources, `format-check` fails listing the
# places that differ (run by .ci/run after the tests)
format: deps
	bash scripts/format.sh --fix

format-check: deps
	bash scripts/format.sh

clean:
	rm -rf $(BUILD_DIR) web/dist
