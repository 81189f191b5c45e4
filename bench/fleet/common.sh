# shellcheck shell=bash disable=SC2034  # CLI_RUN and the helpers are used by the scripts that source this
# What run.sh and two_tier.sh share, sourced by both (not run on its own): the processes they
# started (and only those, stopped on exit), nginx (installed when missing), the bench programs
# built into a work directory with a copy of the CLI, CPU accounting, and the nginx front end.
# Expects HERE, CLI, NGINX_WORKERS and the work directory's prefix in WORK_PREFIX.

[ -x "$CLI" ] || { echo "no $CLI: build the project first (or set CLI=...)" >&2; exit 1; }
WORK=$(mktemp -d "/tmp/$WORK_PREFIX.XXXXXX")
PIDS=()     # every process the script started and has not yet stopped
NGINX_PID=
forget() { local keep=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
           PIDS=("${keep[@]}"); }
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; forget "$1"; }
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NGINX=$(command -v nginx || true); [ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; }
if [ -z "$NGINX" ]; then
  echo "installing nginx-light"
  sudo_=(); [ "$(id -u)" -ne 0 ] && sudo_=(sudo)
  "${sudo_[@]}" apt-get install -y -qq nginx-light >/dev/null ||
    { "${sudo_[@]}" apt-get update -qq && "${sudo_[@]}" apt-get install -y -qq nginx-light >/dev/null; }
  NGINX=/usr/sbin/nginx
fi
mkdir -p "$WORK/bin"
# A copy, so that a rebuild of the project during the run cannot pull the binary away.
cp "$CLI" "$WORK/bin/headroom-cli"
CLI_RUN="$WORK/bin/headroom-cli"
echo "building clone_server and load_gen (g++ -O2)..."
g++ -O2 -std=c++20 -pthread -Wall -Wextra "$HERE/clone_server.cpp" -o "$WORK/bin/clone_server"
g++ -O2 -std=c++20 -Wall -Wextra "$HERE/load_gen.cpp" -o "$WORK/bin/load_gen"

TCK=$(getconf CLK_TCK)
cpu_s() { # CPU seconds (user + system, all threads) of the given processes
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  awk -v t="$t" -v k="$TCK" 'BEGIN { printf "%.2f", t / k }'
}

NOFILE=$(ulimit -Hn); [ "$NOFILE" = unlimited ] && NOFILE=65536
[ "$NOFILE" -gt 65536 ] && NOFILE=65536
start_nginx() { # PORT METHOD-DIRECTIVE BACKEND-PORT...: nginx on 127.0.0.1:PORT, keep-alive upstream
  local port=$1 method=$2 d="$WORK/nginx" servers="" p user=""
  shift 2
  mkdir -p "$d"
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=0;"$'\n'; done
  # A root master would hand the workers to nobody: keep them as the current user.
  [ "$(id -u)" -eq 0 ] && user="user $(id -un) $(id -gn);"
  cat >"$d/nginx.conf" <<CONF
daemon off;
$user
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile $NOFILE;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections $((NOFILE / 2)); }
http {
  access_log off;
  client_body_temp_path $d/client_body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  upstream fleet {
    $method
$servers    keepalive 512;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://fleet;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream off;
    }
  }
}
CONF
  "$NGINX" -q -t -p "$d" -e "$d/error.log" -c "$d/nginx.conf"
  "$NGINX" -p "$d" -e "$d/error.log" -c "$d/nginx.conf" &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  python3 "$HERE/fleet.py" wait "$port"
}
nginx_workers() { cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true; }
stop_nginx() { stop "$NGINX_PID"; NGINX_PID=; }
