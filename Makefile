# Shortcuts; the scripts are the source of truth (README: ./scripts/test.sh).
PG_DIR := $(CURDIR)/var/pg

.PHONY: help run test test-quick pg-start pg-stop pg-env bench bench-index fmt lint deps

run: ## serve on 127.0.0.1:8080 (SQLite in var/data, demo data)
	cargo run --release -- serve

test: ## the whole suite, as CI runs it
	./scripts/test.sh

test-quick: ## the suite without fmt and clippy
	SKIP_LINT=1 ./scripts/test.sh

deps: ## install missing Debian packages and Rust components
	./scripts/install-deps.sh

pg-start: ## a PostGIS cluster in var/pg; then: source var/pg/env
	./scripts/pg-cluster.sh start $(PG_DIR)
	@echo "now: source $(PG_DIR)/env"

pg-stop: ## stop it and delete var/pg
	./scripts/pg-cluster.sh stop $(PG_DIR)

pg-env: ## print its environment (eval "$(make -s pg-env)")
	@./scripts/pg-cluster.sh env $(PG_DIR)

bench: ## side-by-side HTTP benchmark (bench/run.sh, ~15 min)
	./bench/run.sh

bench-index: ## criterion benchmarks of the spatial read model
	cargo bench -p bussola --bench index

fmt: ## format the code
	cargo fmt --all

lint: ## what CI checks: formatting and clippy
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --release -- -D warnings

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
