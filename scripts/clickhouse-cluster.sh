#!/usr/bin/env bash
# A local ClickHouse cluster for development and tests: N clickhouse-server processes on loopback
# ports, each with its own config, data folder and logs under --dir, all listed in one
# remote_servers cluster named `shopsight` (one shard per node, no replicas, no ZooKeeper), so a
# Distributed table over per-node MergeTree tables shards across them.
#
#   scripts/clickhouse-cluster.sh start  [--shards N] [--dir D] [--base-port P]
#   scripts/clickhouse-cluster.sh status [--dir D]
#   scripts/clickhouse-cluster.sh stop   [--dir D]
#
# Node i (1..N) answers HTTP on P+10*(i-1) and the native protocol on P+10*(i-1)+1.
# start waits until every node answers /ping (fails after 60 s naming the node and its log); start
# on a running cluster with the same layout does nothing; stop is idempotent (a node already gone
# is fine). Defaults: 2 shards, dir .clickhouse-cluster, base port 18123.
# Then: --db 'clickhouse://127.0.0.1:18123/shop?cluster=shopsight'
set -euo pipefail

cmd="${1:-}"
[ -n "$cmd" ] && shift
shards=2
dir=".clickhouse-cluster"
base=18123
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --base-port) base="$2"; shift 2 ;;
    *) echo "clickhouse-cluster: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$shards" in ''|*[!0-9]*) echo "clickhouse-cluster: --shards must be a whole number, got '$shards'" >&2; exit 2 ;; esac
case "$base" in ''|*[!0-9]*) echo "clickhouse-cluster: --base-port must be a whole number, got '$base'" >&2; exit 2 ;; esac
[ "$shards" -ge 1 ] || { echo "clickhouse-cluster: --shards must be at least 1" >&2; exit 2; }

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
layout="$dir/cluster.env"

http_port() { echo $((base + 10 * ($1 - 1))); }
tcp_port() { echo $((base + 10 * ($1 - 1) + 1)); }
# A killed server stays a zombie (state Z) until its parent reaps it, about a second here, and
# kill -0 succeeds on a zombie: count it as dead, so start right after a crash restarts the node.
# A pid file names a live node only if that pid runs clickhouse-server with this node's config: a
# node that died leaves its pid behind, and pids come round again (pid_max is 32768 in containers,
# and a test run starts thousands of processes), so a bare `kill -0` would take an unrelated
# process for the node, and stop would kill it (a CI run lost a vitest worker that way).
alive() {
  [ -f "$1" ] || return 1
  local pid
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 1
  grep -qE '^[0-9]+ \(.*\) Z' "/proc/$pid/stat" 2>/dev/null && return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(dirname "$1")/config.xml"
}
ping_ok() { [ "$(curl -s --max-time 2 "http://127.0.0.1:$1/ping" 2>/dev/null)" = "Ok." ]; }

write_config() {
  local i="$1" node="$dir/node$i"
  mkdir -p "$node/data" "$node/tmp" "$node/user_files" "$node/format_schemas" "$node/log"
  {
    echo '<?xml version="1.0"?>'
    echo '<yandex>'
    echo "  <logger><level>warning</level><log>$node/log/server.log</log><errorlog>$node/log/error.log</errorlog><size>10M</size><count>2</count></logger>"
    echo "  <http_port>$(http_port "$i")</http_port>"
    echo "  <tcp_port>$(tcp_port "$i")</tcp_port>"
    echo '  <listen_host>127.0.0.1</listen_host>'
    echo "  <path>$node/data/</path>"
    echo "  <tmp_path>$node/tmp/</tmp_path>"
    echo "  <user_files_path>$node/user_files/</user_files_path>"
    echo "  <format_schema_path>$node/format_schemas/</format_schema_path>"
    echo "  <users_config>$dir/users.xml</users_config>"
    echo '  <default_profile>default</default_profile>'
    echo '  <default_database>default</default_database>'
    echo '  <max_concurrent_queries>100</max_concurrent_queries>'
    # Small caches: several servers share one small machine.
    echo '  <mark_cache_size>268435456</mark_cache_size>'
    echo '  <uncompressed_cache_size>268435456</uncompressed_cache_size>'
    echo '  <remote_servers><shopsight>'
    for j in $(seq 1 "$shards"); do
      echo "    <shard><replica><host>127.0.0.1</host><port>$(tcp_port "$j")</port></replica></shard>"
    done
    echo '  </shopsight></remote_servers>'
    echo '</yandex>'
  } > "$node/config.xml"
}

# Each query may use 2 GB (three servers beside everything else on a 24 GiB machine; a server's own
# default is 10 GB), and every query is logged in system.query_log (the scale bench reads it).
write_users() {
  cat > "$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><log_queries>1</log_queries><load_balancing>in_order</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

start() {
  command -v clickhouse-server >/dev/null || {
    echo "clickhouse-cluster: clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client)" >&2
    exit 1
  }
  if [ -f "$layout" ]; then
    # shellcheck disable=SC1090
    . "$layout"
    if [ "$SHARDS" != "$shards" ] || [ "$BASE_PORT" != "$base" ]; then
      local running=0
      for i in $(seq 1 "$SHARDS"); do alive "$dir/node$i/server.pid" && running=1; done
      if [ "$running" = 1 ]; then
        echo "clickhouse-cluster: $dir runs $SHARDS shards from port $BASE_PORT; stop it before starting $shards from $base" >&2
        exit 1
      fi
    fi
  fi
  echo "SHARDS=$shards" > "$layout"
  echo "BASE_PORT=$base" >> "$layout"
  write_users
  for i in $(seq 1 "$shards"); do
    local pidf="$dir/node$i/server.pid"
    write_config "$i"
    if alive "$pidf"; then continue; fi
    if ping_ok "$(http_port "$i")"; then
      echo "clickhouse-cluster: port $(http_port "$i") already answers but not from $dir/node$i: choose another --base-port" >&2
      exit 1
    fi
    ( cd "$dir/node$i" && exec setsid clickhouse-server --config-file="$dir/node$i/config.xml" \
        >"$dir/node$i/log/stdout.log" 2>&1 ) &
    echo $! > "$pidf"
  done
  local deadline=$((SECONDS + 60))
  for i in $(seq 1 "$shards"); do
    until ping_ok "$(http_port "$i")"; do
      if ! alive "$dir/node$i/server.pid"; then
        echo "clickhouse-cluster: node $i exited; see $dir/node$i/log/error.log and stdout.log:" >&2
        tail -5 "$dir/node$i/log/stdout.log" "$dir/node$i/log/error.log" >&2 2>/dev/null || true
        exit 1
      fi
      if [ $SECONDS -ge $deadline ]; then
        echo "clickhouse-cluster: node $i did not answer on port $(http_port "$i") within 60 s; see $dir/node$i/log/" >&2
        exit 1
      fi
      sleep 0.2
    done
  done
  echo "clickhouse-cluster: $shards shards up, cluster 'shopsight', HTTP ports $(for i in $(seq 1 "$shards"); do printf '%s ' "$(http_port "$i")"; done)"
  echo "  --db 'clickhouse://127.0.0.1:$(http_port 1)/shop?cluster=shopsight'"
}

stop() {
  [ -f "$layout" ] || { echo "clickhouse-cluster: nothing to stop in $dir"; return 0; }
  # shellcheck disable=SC1090
  . "$layout"
  for i in $(seq 1 "$SHARDS"); do
    local pidf="$dir/node$i/server.pid"
    if alive "$pidf"; then
      local pid
      pid="$(cat "$pidf")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do alive "$pidf" || break; sleep 0.2; done
      if alive "$pidf"; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$pidf"
  done
  echo "clickhouse-cluster: stopped ($dir)"
}

status() {
  [ -f "$layout" ] || { echo "clickhouse-cluster: no cluster in $dir"; return 1; }
  # shellcheck disable=SC1090
  . "$layout"
  base="$BASE_PORT"
  local down=0
  for i in $(seq 1 "$SHARDS"); do
    if alive "$dir/node$i/server.pid" && ping_ok "$(http_port "$i")"; then
      echo "node $i: up (pid $(cat "$dir/node$i/server.pid"), http $(http_port "$i"), tcp $(tcp_port "$i"))"
    else
      echo "node $i: down (http $(http_port "$i"))"
      down=1
    fi
  done
  return $down
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--shards N] [--dir D] [--base-port P]" >&2; exit 2 ;;
esac
