#!/bin/sh
# The load balancer's entry point: nginx with docker/nginx.conf in front of the nodes, reloaded when a node's address
# changes (a node's container recreated). nginx resolves the upstream names once, at start and at each reload; this
# keeps Debian's nginx 1.22 (no `resolve` on upstream servers) and the official image on one config.
#   LB_NODES   the node names to watch (default: node1 node2 node3, the servers of docker/nginx.conf)
nodes=${LB_NODES:-node1 node2 node3}

addresses() { # one line: each node's address, or "-" where the name does not resolve (that node is down)
  for n in $nodes; do
    a=$(getent hosts "$n" 2>/dev/null | awk '{print $1; exit}')
    printf '%s ' "${a:--}"
  done
}

if ! command -v getent >/dev/null 2>&1; then
  echo "lb.sh: no getent here; nginx resolves the nodes at start only" >&2
  exec nginx -g 'daemon off;'
fi
# nginx refuses to start with an upstream name it cannot resolve: wait until every node has an address.
last=$(addresses)
while case $last in *-*) true ;; *) false ;; esac; do
  sleep 1
  last=$(addresses)
done
nginx -g 'daemon off;' &
pid=$!
trap 'kill -QUIT $pid 2>/dev/null; wait $pid; exit 0' TERM INT QUIT
while kill -0 "$pid" 2>/dev/null; do
  sleep 2
  now=$(addresses)
  # A node that is down keeps its last address; a node back at a new address triggers a reload.
  case $now in *-*) continue ;; esac
  if [ "$now" != "$last" ]; then
    echo "lb.sh: node addresses changed ($last-> $now): reloading nginx" >&2
    nginx -s reload && last=$now
  fi
done
wait "$pid"
