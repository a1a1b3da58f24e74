#!/usr/bin/env bash
# Save a fuzzer finding as a committed regression input (replayed by tests/fuzz_regressions.rs).
#
#   scripts/fuzz-save.sh TARGET ARTIFACT NAME
#
# For a text target the artifact is copied. For a grammar target (yaml_grammar,
# template_grammar, strvals_grammar) the generated text is saved instead, under the text
# target that runs the same code (yaml, template_exec, strvals), so the test needs no fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 artifact=$2 name=$3
case $target in
  yaml_grammar) dest=yaml ;;
  template_grammar) dest=template_exec ;;
  strvals_grammar) dest=strvals ;;
  *) dest=$target ;;
esac
mkdir -p "fuzz/regressions/$dest"
out=fuzz/regressions/$dest/$name
if [ "$dest" = "$target" ]; then
  cp "$artifact" "$out"
else
  # The target writes its text before running it, so a crash still leaves the file.
  FUZZ_SAVE_TEXT="$out" RAYON_NUM_THREADS=1 timeout 20 \
    "fuzz/target/x86_64-unknown-linux-gnu/release/$target" -rss_limit_mb=1024 "$artifact" >/dev/null 2>&1 || true
fi
echo "$out ($(stat -c %s "$out") bytes)"
