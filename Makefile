# Sluice: the two set-up commands are `make bench` and `make test`.
SWIFT ?= swift
BENCH_ARGS ?= --tasks 1,2 --compression none,lz4,zstd --records 2000000

.PHONY: deps build release bench verify test clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The main job: a benchmark on the embedded Kafka cluster, printed as a table.
bench: release
	.build/release/sluice bench $(BENCH_ARGS)

# The same sweep, reading every record back to prove none was lost or duplicated.
verify: release
	.build/release/sluice bench --tasks 1,2 --compression none,lz4,zstd --records 500000 --partitions 16 --verify

test: build
	$(SWIFT) test

clean:
	rm -rf .build
