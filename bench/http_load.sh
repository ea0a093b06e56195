#!/usr/bin/env bash
# http_load.sh [BINARY] [SECONDS]: requests/s and p99 latency of a dynamic page and of
# static assets at 64 and 512 keep-alive connections, measured with wrk on loopback
# against one server started here on a fresh SQLite database with demo data, plus the
# idle server's memory. A measurement, not a test: the figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/communitise}
seconds=${2:-10}
command -v wrk >/dev/null || { echo "needs wrk (apt package wrk)" >&2; exit 1; }

dir=$(mktemp -d /tmp/communitise-load.XXXXXX)
port=$((20000 + RANDOM % 40000))
"$bin" serve --database "sqlite:$dir/load.db" --listen "127.0.0.1:$port" --demo --no-access-log \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

sleep 1
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
page=$(curl -sf "$base/programmes" | grep -o 'href="/programmes/[^"/]*"' | head -n 1 | cut -d'"' -f2)
[[ -n $page ]] || { echo "no programme page found" >&2; exit 1; }
static=/static/communitise.css
large=/assets/govuk-frontend.min.css

run() {  # run NAME PATH CONNECTIONS
  local out
  out=$(wrk -t2 -c"$3" -d"${seconds}s" --timeout 5s --latency "$base$2")
  printf '%-28s c=%-4s %10s req/s  p99 %-9s %s\n' "$1" "$3" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
for c in 64 512; do
  run "dynamic $page" "$page" "$c"
  run "static $static" "$static" "$c"
  [[ -n $large ]] && run "static $large" "$large" "$c"
done
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
