#!/usr/bin/env bash
# Three Switchboard nodes as local processes on 127.0.0.1: the topology of docker-compose.yml without Docker.
#
#   scripts/cluster.sh up       start the nodes together; returns once every one is ready (joined to another)
#   scripts/cluster.sh status   each node up (ready), not ready, or down; exit 0 only when all are up
#   scripts/cluster.sh down     SIGTERM every node (it drains), wait until each has exited
#
# Node i listens for clients on 127.0.0.1:<HTTP port i> (/ws, /health/ready, /metrics) and for other members on
# 127.0.0.1:<cluster port i>, and joins the other two. Settings, all optional:
#   CLUSTER_HTTP_PORTS  the nodes' client ports               (default "8081 8082 8083")
#   CLUSTER_PORTS       their Hazelcast ports                  (default "5701 5702 5703")
#   CLUSTER_DIR         pid files and logs (nodeN.pid, .log)  (default: cluster-run/ in the repository)
#   CLUSTER_JAR         the launcher jar                       (default: broker/target/switchboard-broker.jar)
#   JAVA, JAVA_OPTS     java binary ($JAVA_HOME/bin/java, else java) and its options (default -Xmx256m)
#   UP_TIMEOUT          seconds to wait for a node to be ready (default 90)
#   DOWN_TIMEOUT        seconds to wait for a node to exit after SIGTERM (default: its drain window + 30)
# Every SWITCHBOARD_* variable reaches the nodes as usual (docs/operations.md), e.g. SWITCHBOARD_CLUSTER_NAME or
# SWITCHBOARD_DRAIN_WINDOW_MS; the flags set here (host, ports, join) win over them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
read -r -a HTTP_PORTS <<< "${CLUSTER_HTTP_PORTS:-8081 8082 8083}"
read -r -a CLUSTER_PORTS_LIST <<< "${CLUSTER_PORTS:-5701 5702 5703}"
DIR="${CLUSTER_DIR:-$ROOT/cluster-run}"
JAR="${CLUSTER_JAR:-$ROOT/broker/target/switchboard-broker.jar}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi
read -r -a JVM_OPTS <<< "${JAVA_OPTS:--Xmx256m}"
UP_TIMEOUT="${UP_TIMEOUT:-90}"
DOWN_TIMEOUT="${DOWN_TIMEOUT:-$(( ${SWITCHBOARD_DRAIN_WINDOW_MS:-10000} / 1000 + 30 ))}"
NODES=${#HTTP_PORTS[@]}

die() { echo "cluster.sh: $*" >&2; exit 2; }
[[ $NODES -eq ${#CLUSTER_PORTS_LIST[@]} ]] || die "CLUSTER_HTTP_PORTS and CLUSTER_PORTS must list as many ports"

pid_of() { # node number -> its pid, if its pid file names a running process
  local file="$DIR/node$1.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ready() { # node number -> whether GET /health/ready answers 200
  "$ROOT/scripts/ready.sh" "${HTTP_PORTS[$(( $1 - 1 ))]}"
}

start() { # node number: launch it in the background, detached from this shell
  local i=$1 join=() j
  for (( j = 1; j <= NODES; j++ )); do
    (( j != i )) && join+=("127.0.0.1:${CLUSTER_PORTS_LIST[$(( j - 1 ))]}")
  done
  if pid=$(pid_of "$i"); then echo "node$i already running (pid $pid)"; return; fi
  (IFS=,; nohup "$JAVA" "${JVM_OPTS[@]}" -jar "$JAR" --host 127.0.0.1 --port "${HTTP_PORTS[$(( i - 1 ))]}" \
    --cluster-host 127.0.0.1 --cluster-port "${CLUSTER_PORTS_LIST[$(( i - 1 ))]}" --join "${join[*]}" \
    </dev/null >"$DIR/node$i.log" 2>&1 & echo $! >"$DIR/node$i.pid")
}

await_ready() { # node number
  local i=$1 deadline=$(( SECONDS + UP_TIMEOUT ))
  until ready "$i"; do
    pid_of "$i" >/dev/null || { tail -n 20 "$DIR/node$i.log" >&2; die "node$i exited; see $DIR/node$i.log"; }
    (( SECONDS < deadline )) || die "node$i not ready within ${UP_TIMEOUT}s; see $DIR/node$i.log"
    sleep 0.2
  done
  echo "node$i up: ws://127.0.0.1:${HTTP_PORTS[$(( i - 1 ))]}/ws (pid $(pid_of "$i"))"
}

up() {
  [[ -f $JAR ]] || die "no launcher jar at $JAR (mvn package first, or set CLUSTER_JAR)"
  mkdir -p "$DIR"
  # All at once: each lists the others, and a node whose join list names others is ready only once it has joined one.
  for (( i = 1; i <= NODES; i++ )); do start "$i"; done
  for (( i = 1; i <= NODES; i++ )); do await_ready "$i"; done
}

status() {
  local all=0 i pid
  for (( i = 1; i <= NODES; i++ )); do
    if pid=$(pid_of "$i"); then
      if ready "$i"; then
        echo "node$i up        http://127.0.0.1:${HTTP_PORTS[$(( i - 1 ))]} pid $pid"
      else
        echo "node$i not ready http://127.0.0.1:${HTTP_PORTS[$(( i - 1 ))]} pid $pid"; all=3
      fi
    else
      echo "node$i down"; all=3
    fi
  done
  return $all
}

down() {
  local i pid deadline pids=()
  for (( i = 1; i <= NODES; i++ )); do
    if pid=$(pid_of "$i"); then kill -TERM "$pid"; pids[i]=$pid; fi
  done
  for i in "${!pids[@]}"; do
    deadline=$(( SECONDS + DOWN_TIMEOUT ))
    while kill -0 "${pids[i]}" 2>/dev/null; do
      if (( SECONDS >= deadline )); then
        echo "node$i did not stop within ${DOWN_TIMEOUT}s of SIGTERM; killing it" >&2
        kill -KILL "${pids[i]}" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
    echo "node$i stopped"
  done
  rm -f "$DIR"/node*.pid
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
