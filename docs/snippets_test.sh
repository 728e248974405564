#!/bin/bash
# //docs:snippets_test: the examples compiled when :snippets was built
# (a failing example fails the build, naming its file and line). Here:
# say how many, and that none was left out.
set -euo pipefail
count="$(cat "$1")"
echo "${count}"
if [[ ! "${count}" =~ ^compiled\ ([0-9]+)\ of\ ([0-9]+)\ snippets ]] ||
   [[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]] ||
   [[ "${BASH_REMATCH[1]}" -eq 0 ]]; then
  echo "FAIL: expected 'compiled N of N snippets', N > 0" >&2
  exit 1
fi
