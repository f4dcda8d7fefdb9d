#!/usr/bin/env bash
# Installs what DealerLens needs, skipping whatever is already present.
#   scripts/setup.sh build   — Rust wasm target, Trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/setup.sh test    — the above, plus Chromium and the end-to-end test packages
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
TRUNK_VERSION=0.21.14

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly, or Trunk tries
# to download one (which fails offline).
if [ ! -f Cargo.lock ]; then
  cargo generate-lockfile
fi
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $WBG_VERSION"; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 9 minutes, once)"
  # Not --locked: its lockfile pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# wasm-opt for release builds comes from npm's binaryen (Debian's is too old).
if [ ! -x node_modules/.bin/wasm-opt ] || ! node_modules/.bin/wasm-opt --version | grep -q 132; then
  say "installing npm packages (binaryen)"
  npm ci --no-audit --no-fund
fi

if [ "$want" = test ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
    say "installing Chromium and CJK fonts from Debian"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update
    $SUDO apt-get install -y chromium chromium-driver fonts-noto-cjk
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/yaml ]; then
    say "installing the end-to-end test packages"
    (cd tests/e2e && npm ci --no-audit --no-fund)
  fi
fi
