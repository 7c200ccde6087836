#!/usr/bin/env bash
# Checks (default) or applies (--fix) .clang-format to every C++ file git tracks under src/,
# tests/, fuzz/ and bench/. The check prints each place that differs and exits 1 if any does.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
command -v "$CLANG_FORMAT" >/dev/null || { echo "format.sh: $CLANG_FORMAT not found (make deps)" >&2; exit 2; }
mapfile -t files < <(git ls-files -- 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' \
                                      'fuzz/*.h' 'fuzz/*.cc' 'bench/*.h' 'bench/*.cc')
if [[ "${1:-}" == "--fix" ]]; then
  "$CLANG_FORMAT" -i "${files[@]}"
  echo "format.sh: formatted ${#files[@]} files"
  exit 0
fi
if ! "$CLANG_FORMAT" --dry-run --Werror "${files[@]}"; then
  echo "format.sh: the files above differ from .clang-format; run 'make format'" >&2
  exit 1
fi
echo "format.sh: ${#files[@]} files follow .clang-format"
