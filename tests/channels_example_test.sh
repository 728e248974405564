#!/usr/bin/env bash
# The channels example, as its reader runs it: a manager task owns the
# state, clients ask over an mpsc and get replies over oneshots, and the
# manager ends when the last sender is gone.
set -euo pipefail
out=$("$1")
echo "${out}"
expected='set foo = bar (was (nothing))
get foo: bar
manager: 2 commands, then every sender was gone'
[[ "${out}" == "${expected}" ]] || { echo "want:"; echo "${expected}"; exit 1; }
echo "channels example: ok"
