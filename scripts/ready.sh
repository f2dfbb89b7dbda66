#!/usr/bin/env bash
# Exits 0 when the Switchboard node at HOST:PORT answers GET /health/ready with 200, 1 otherwise. Needs only bash
# and coreutils (no curl): the container image's health check and scripts/cluster.sh use it.
#   scripts/ready.sh [PORT [HOST]]     (defaults: $SWITCHBOARD_PORT or 8080, 127.0.0.1)
port="${1:-${SWITCHBOARD_PORT:-8080}}"
host="${2:-127.0.0.1}"
status=$(timeout 5 bash -c "exec 3<>/dev/tcp/$host/$port \
  && printf 'GET /health/ready HTTP/1.0\r\nHost: %s\r\n\r\n' '$host' >&3 && head -n 1 <&3" 2>/dev/null) || exit 1
[[ $status == *" 200 "* ]]
