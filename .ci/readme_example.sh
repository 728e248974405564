#!/usr/bin/env bash
# Runs the README's first command as a new user would (it starts the echo
# server on 127.0.0.1:8080), talks to it with nc, then stops it with Ctrl-C
# (SIGINT) and expects a graceful exit 0.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmd=$(grep -m1 -E '^tools/bazel run ' README.md)
log=$(mktemp)
echo "+ ${cmd}"
${cmd} >"${log}" 2>&1 &
server=$!
trap 'kill ${server} 2>/dev/null || true' EXIT
# Building from a cold cache takes a while; the server says when it listens.
for _ in $(seq 1 1200); do
  grep -q 'listening on' "${log}" && break
  kill -0 "${server}" 2>/dev/null || { cat "${log}"; exit 1; }
  sleep 0.5
done
grep 'listening on' "${log}"
reply=$(printf 'hello from the README\n' | nc -N 127.0.0.1 8080)
echo "echoed: ${reply}"
[[ "${reply}" == "hello from the README" ]]
kill -INT "${server}"
rc=0
wait "${server}" || rc=$?
tail -n 2 "${log}"
trap - EXIT
[[ ${rc} == 0 ]] || { echo "echo exited ${rc} on SIGINT, want 0"; exit 1; }
