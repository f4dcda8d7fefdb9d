#!/usr/bin/env bash
# Fuzzes the engine: every cargo-fuzz target in fuzz/ for SECONDS each (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Targets: ingest (any bytes through load + analyze), containers (one part of a valid
# xlsx/ods/xls mutated), csv (bytes as CSV/TSV and HTML with every encoding), values (the
# date/amount/number/id parsers). Needs the nightly toolchain and cargo-fuzz (installed
# here if missing). The seed corpus is generated from tests/hostile.rs into fuzz/corpus/
# (gitignored, as are fuzz/artifacts/ and fuzz/target/). One process per target, one core
# at a time (like libFuzzer's -jobs=1). Crashes land in fuzz/artifacts/TARGET/; reproduce
# one with `cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...` and
# add it to tests/hostile.rs as a regression case.
set -euo pipefail

secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ingest containers csv values)
fi

cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Seeds: small generated xlsx/ods/xls/CSV/HTML files and values (tests/hostile.rs).
DEALERLENS_FUZZ_SEEDS="$PWD/fuzz/corpus" \
  cargo test --quiet --test hostile fuzz_seed_corpus -- --exact >/dev/null

# No sanitizer: the code under test is safe Rust (and calamine/zip/csv), and without ASan
# the targets run several times faster. Debug assertions and overflow checks stay on by
# default.
# Strict mode fuzzes the code as it ships: release semantics (-O: no debug assertions, no
# overflow checks, like the wasm build), so that a debug-only overflow inside calamine (see
# docs/FUZZING.md) does not end the run; every panic is then a crash.
opt=()
if [ -n "${DEALERLENS_FUZZ_STRICT:-}" ]; then
  opt=(-O)
fi
cargo +nightly fuzz build "${opt[@]}" -s none

mkdir -p fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  echo "== $t: ${secs}s" >&2
  max_len=1048576
  [ "$t" = values ] && max_len=4096
  cargo +nightly fuzz run "${opt[@]}" -s none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -print_final_stats=1 >"fuzz/artifacts/$t.log" 2>&1 || status=1
  grep -E "^#[0-9]+ *DONE|stat::|ERROR|SUMMARY|Test unit written" "fuzz/artifacts/$t.log" >&2 || true
done
exit "$status"
