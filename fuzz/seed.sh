#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's .vpc files: examples/ and
# anything under tests/ (fixtures, ui cases, regressions). Idempotent.
#
#   corpus/compile, corpus/parse_diff  every file as is (parse_diff reads
#                   its input as text too)
#   corpus/diff     pairs "OLD NUL NEW": each example against the next one,
#                   and each example against itself with one line dropped
#   corpus/lsp      each example, then NUL-separated JSON-RPC bodies asking
#                   for every feature of the server on it
#   corpus/grammar: generator bytes; libFuzzer starts it from nothing (the
#                   examples are not generator input)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
for target in compile grammar parse_diff diff lsp; do
  mkdir -p "$here/corpus/$target"
done
# Name by content hash, as libFuzzer does, so reruns add nothing twice.
put() { # put TARGET < content
  local tmp h
  tmp="$(mktemp)"
  cat > "$tmp"
  h="$(sha1sum "$tmp" | cut -d' ' -f1)"
  mv "$tmp" "$here/corpus/$1/$h"
}
n=0
while IFS= read -r -d '' f; do
  put compile < "$f"
  put parse_diff < "$f"
  n=$((n + 1))
done < <(find "$root/examples" "$root/tests" -name '*.vpc' -type f -print0 2>/dev/null)
echo "seeded $n files into $here/corpus/compile and corpus/parse_diff"

uri='{"uri":"file:///fuzz.vpc"}'
requests=(
  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":1,\"character\":12}}}"
  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/definition\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":5,\"character\":8}}}"
  "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"textDocument/references\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":3,\"character\":10},\"context\":{\"includeDeclaration\":true}}}"
  "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/prepareRename\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":3,\"character\":10}}}"
  "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/rename\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":3,\"character\":10},\"newName\":\"renamed\"}}"
  "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"textDocument/documentSymbol\",\"params\":{\"textDocument\":$uri}}"
  "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/completion\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":4,\"character\":4}}}"
  "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"textDocument/formatting\",\"params\":{\"textDocument\":$uri,\"options\":{\"tabSize\":2,\"insertSpaces\":true}}}"
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"file:///fuzz.vpc\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"text\":\"# edit\\n\"}]}}"
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"file:///fuzz.vpc\",\"version\":3},\"contentChanges\":[{\"text\":\"vpc a 10.0.0.0/16\\n\"}]}}"
  "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":$uri,\"position\":{\"line\":0,\"character\":8}}}"
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":$uri}}"
)
examples=("$root"/examples/*.vpc)
m=0
for i in "${!examples[@]}"; do
  f="${examples[$i]}"
  next="${examples[$(( (i + 1) % ${#examples[@]} ))]}"
  { cat "$f"; printf '\0'; cat "$next"; } | put diff
  { cat "$f"; printf '\0'; sed '3d' "$f"; } | put diff
  { cat "$f"; for r in "${requests[@]}"; do printf '\0%s' "$r"; done; } | put lsp
  m=$((m + 1))
done
echo "seeded $((2 * m)) pairs into $here/corpus/diff and $m sessions into $here/corpus/lsp"
