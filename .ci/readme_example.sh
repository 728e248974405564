#!/usr/bin/env bash
# Runs the README's first command as a new user would and checks what it
# prints. The example ends by itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmd=$(grep -m1 -E '^tools/bazel run ' README.md)
echo "+ ${cmd}"
out=$(${cmd} 2>/dev/null)
echo "${out}"
grep -q 'telemetry reports: 3' <<<"${out}"
