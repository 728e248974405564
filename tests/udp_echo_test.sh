#!/usr/bin/env bash
# The UDP echo example as a user runs it, answered to a client nobody here
# wrote: nc -u from Debian's netcat-openbsd. Each line sent is one datagram
# and must come back; the chat example, likewise, greets a plain nc client.
set -euo pipefail

udp_echo_bin="$1"
chat_bin="$2"
command -v nc >/dev/null || { echo "nc not found: install netcat-openbsd" >&2; exit 1; }

source "$(dirname "$0")/start_echo.sh"
start_echo "${udp_echo_bin}"
udp_server=${server}
trap 'kill ${udp_server} ${server} 2>/dev/null || true' EXIT

# -w1: quit once the line has gone and a second has passed with nothing more
# to read (the echo comes back well within it).
got=$(printf 'one datagram\n' | nc -u -w1 127.0.0.1 "${port}")
[[ "${got}" == "one datagram" ]] || { echo "udp echo said '${got}'" >&2; exit 1; }
echo "udp echo answered nc -u"

start_echo "${chat_bin}"
got=$(printf 'nc user\n' | nc -N -q1 127.0.0.1 "${port}" | head -2)
expected=$'Please enter your username:\nWelcome, nc user!'
[[ "${got}" == "${expected}" ]] || { echo "chat said '${got}'" >&2; exit 1; }
echo "chat greeted nc"
