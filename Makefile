# DealerLens — the two commands a new user needs:
#   make serve   build the app and serve it on http://127.0.0.1:8080/
#   make test    run every test (native engine tests, lint, wasm build, browser end-to-end)

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: serve test setup build lint unit e2e

serve:
	scripts/setup.sh build
	trunk serve --release --offline --address 127.0.0.1 --port $(PORT)

test: 
	scripts/setup.sh test
	$(MAKE) lint unit build e2e

setup:
	scripts/setup.sh test

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --bins --locked -- -D warnings

unit:
	cargo test --locked
	TZ=Asia/Shanghai cargo test --locked --test report

build:
	trunk build --release --offline --public-url ./

e2e:
	cd tests/e2e && node --test
