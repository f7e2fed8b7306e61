# librscp -- thin wrapper around CMake.
#   make          build everything into build/
#   make check    install test dependencies if missing, then run every test:
#                 generated-code check, ASan+UBSan build, fuzzers, unit tests
#   make bench    build and run the benchmarks
#   make demo     run the rscp tool against the built-in simulator
#   make install  install into PREFIX (default /usr/local)

PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 45
CMAKE_FLAGS ?=
# cmake --build runs make again below this one: without this, every one of
# its sub-makes prints "Entering/Leaving directory" lines.
MAKEFLAGS += --no-print-directory

.PHONY: all build check deps deps-build gen-check check-asan check-fuzz check-unit bench demo install clean

all: build

build: deps-build
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) -DBUILD_TESTING=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build build -j $(JOBS)

deps:
	@sh tools/install-deps.sh

# What the build itself needs (a fresh Debian has no cmake): installed as
# root, named otherwise.
deps-build:
	@sh tools/install-deps.sh build

gen-check:
	@sh tools/check-generated.sh

# Unit tests with warnings as errors; this runs last so that its ctest
# summary closes the output.
check-unit:
	cmake -S . -B build/check -DCMAKE_BUILD_TYPE=Debug -DRSCP_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build build/check -j $(JOBS)
	cd build/check && ctest --output-on-failure -j $(JOBS)

# Built with clang so that its warnings (as errors) are checked too; the
# unit build below uses the default compiler (gcc on Debian).
check-asan:
	CC=clang cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DRSCP_WERROR=ON -DRSCP_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

check-fuzz:
	CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSCP_FUZZ=ON -DRSCP_SANITIZE=ON \
	    -DRSCP_TESTS=OFF -DRSCP_PROGRAMS=OFF -DRSCP_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS) >/dev/null
	cmake --build build/fuzz -j $(JOBS)
	cd build/fuzz && ctest --output-on-failure -j $(JOBS) || \
	    { for r in fuzz/run_*/report; do [ -f "$$r" ] && cat "$$r"; done; exit 1; }

# The steps run one after the other even under `make -j` (they share the
# machine's cores through ctest -j and the builds' own -j).
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory gen-check
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-fuzz
	@$(MAKE) --no-print-directory check-unit

bench: build
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)
	./build/rscp_bench
	@if [ -x build/rscp_bench_net ]; then ./build/rscp_bench_net; fi
	@if [ -x build/rscp-bridge ]; then bench/fleet.sh --build build; \
	else echo "# fleet bench skipped: build/rscp-bridge not built (bench/fleet.sh --stand-in measures the simulator side)"; fi

demo: build
	./build/rscp demo --once

install: build
	cmake --install build

clean:
	rm -rf build
