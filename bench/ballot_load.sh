#!/usr/bin/env bash
# ballot_load.sh [BINARY] [SECONDS] [VOTERS]: how fast and how safely the server takes
# ballots. For SQLite and for PostgreSQL (a throw-away one from scripts/with-postgres,
# with fsync on as in a real deployment):
# starts `communitise serve --demo`, makes VOTERS signed-in members with
# `communitise pb-round rehearsal-voters`, opens a round with 12 projects through the
# API and moves it to voting, then with wrk on loopback measures ballots/s and p99 at
# 64 and 512 connections beside the static CSS rate of the same server in the same run.
# Then the durability check: the server is killed with SIGKILL several times while
# voters cast ballots; every acknowledged ballot's receipt must still be counted after
# a restart, and acknowledged ballots must equal stored ones up to the ballots whose
# reply was cut off by the kill (those are stored but never acknowledged).
# KILLS=N sets the number of kills (default 5; 0 skips the durability check), and
# PERF=DIR records a CPU profile of the server (perf record -g) while it takes ballots
# at 64 connections, into DIR/BACKEND.perf.data (PERF_ARGS: perf's options, default
# "-g"; "-F 499 --call-graph dwarf" sees through libraries built without frame pointers).
# After each run of ballots, the ballot box's own figures from /metrics: batches, their
# mean size, and mean transaction and flush times with the number over 50 ms.
# Each line also gives the CPU time the server (and, on PostgreSQL, the database's
# processes) and wrk itself spent per answered request. SERVER_ENV='NAME=VALUE …' sets
# the server's environment (e.g. LD_PRELOAD=… to try another memory allocator).
# Then, when build/bench/open_loop exists (OPEN_LOOP names another), the open loop: 512
# voters each casting at a fixed pace, together 50% and 80% of the ballots/s the closed
# loop reached at 512, with the latency measured from each ballot's scheduled send.
# A measurement, not a test: the figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/communitise}")
seconds=${2:-10}
nvoters=${3:-20000}
kills=${KILLS:-5}
command -v wrk >/dev/null || { echo "needs wrk (apt package wrk)" >&2; exit 1; }

if [[ ${BALLOT_LOAD_INNER:-} != 1 ]]; then
  BALLOT_LOAD_INNER=1 BACKEND=sqlite "$0" "$bin" "$seconds" "$nvoters"
  BALLOT_LOAD_INNER=1 BACKEND=postgres WITH_POSTGRES_FSYNC=on scripts/with-postgres "$0" "$bin" "$seconds" "$nvoters"
  exit 0
fi

dir=$(mktemp -d /tmp/communitise-ballots.XXXXXX)
# Below the kernel's range of local ports for outgoing connections: a client that keeps
# reconnecting to a killed server on a port in that range can be given that very port
# and connect to itself, which holds the port for a minute after.
low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
port=$((10000 + RANDOM % (low - 10000)))
base=http://127.0.0.1:$port
if [[ $BACKEND == sqlite ]]; then db="sqlite:$dir/load.db"; else db=$COMMUNITISE_TEST_POSTGRES_URL; fi
pid=
start_server() {
  # The port may be briefly taken after a kill: try again rather than give up.
  for _ in $(seq 20); do
    env ${SERVER_ENV:-} "$bin" serve --database "$db" --listen "127.0.0.1:$port" --demo --no-access-log \
      >>"$dir/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do
      curl -sf "$base/healthz" >/dev/null && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
    sleep 0.5
  done
  echo "server did not start" >&2; cat "$dir/server.log" >&2; exit 1
}
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
echo "== $BACKEND =="
start_server

# An officer's API session.
jar=$dir/officer.jar
jsonget() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
csrf=$(curl -sf -c "$jar" -b "$jar" "$base/api/session" | jsonget csrf_token)
csrf=$(curl -sf -c "$jar" -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"email":"officer@demo.communitise.test","password":"demo-officer-password"}' \
  "$base/api/session" | jsonget csrf_token)
api() {  # api JAR CSRF PATH JSON
  curl -sf -b "$1" -H "X-CSRF-Token: $2" -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -d "$4" "$base$3"
}
"$bin" pb-round rehearsal-voters --database "$db" --programme riverside-area-action-partnership --count "$nvoters" \
  --prefix voter@load.communitise.test --password 'rehearsal-password' --out "$dir/voters.txt"
read -r s1 c1 < "$dir/voters.txt"
now=$(date +%s)
round=$(api "$jar" "$csrf" /api/programmes/riverside-area-action-partnership/pb/rounds \
  "{\"title\":\"Load test\",\"budget_pence\":10000000,\"proposals_close\":$((now+3600)),\"voting_opens\":$((now+3600)),\"voting_closes\":$((now+86400)),\"screeners\":[\"voter1@load.communitise.test\"],\"approval_max\":5}" \
  | jsonget id)
ids=()
for i in $(seq 12); do
  ids+=("$(api "$jar" "$csrf" "/api/pb/rounds/$round/projects" \
    "{\"title\":\"Project $i\",\"summary\":\"Load test project $i\",\"cost_pence\":$((100000 * (i + 5)))}" \
    | jsonget id)")
done
api "$jar" "$csrf" "/api/pb/rounds/$round/phase" '{"phase":"screening"}' >/dev/null
for id in "${ids[@]}"; do
  api "$jar" "$csrf" "/api/pb/projects/$id/check" '{"eligible":true}' >/dev/null
  curl -sf -H "Cookie: communitise_session=$s1" -H "X-CSRF-Token: $c1" -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -d '{"decision":"accept","reason":"load test"}' \
    "$base/api/pb/projects/$id/screening" >/dev/null
done
api "$jar" "$csrf" "/api/pb/rounds/$round/phase" '{"phase":"voting"}' >/dev/null
choices=$(IFS=,; echo "${ids[*]}")
# The first half of the voters vote (and change their votes) during the measurement;
# the second half vote once each during the durability check.
half=$((nvoters / 2))
head -n "$half" "$dir/voters.txt" > "$dir/load.txt"
tail -n +"$((half + 1))" "$dir/voters.txt" > "$dir/fresh.txt"
export ROUND=$round CHOICES=$choices MAXLEN=5

server_cpu_ticks() {  # utime + stime of the server, in clock ticks
  awk '{print $14 + $15}' "/proc/$pid/stat"
}
db_cpu_ticks() {  # the same for every PostgreSQL process (0 on SQLite, which runs in the server)
  if [[ $BACKEND != postgres ]]; then echo 0; return; fi
  local t=0 p
  for p in $(pgrep -u postgres -x postgres); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
wrk_run() {  # wrk_run NAME CONNECTIONS ARGS...
  local name=$1 c=$2; shift 2
  local out cpu0 cpu1 db0 db1
  cpu0=$(server_cpu_ticks); db0=$(db_cpu_ticks)
  out=$( { TIMEFORMAT='%U %S'; time wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s --latency "$@" 2>&1; } \
    2>"$dir/wrk.time")
  cpu1=$(server_cpu_ticks); db1=$(db_cpu_ticks)
  last_rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  # The server's CPU time (all threads, user + system) per answered request.
  # and PostgreSQL's (its processes, all of them, whatever else they serve).
  local per db_per client_per
  client_per=$(awk -v t="$(cat "$dir/wrk.time")" '/requests in/ {split(t, a, " "); printf "%.0f", (a[1] + a[2]) * 1e6 / $1}' <<<"$out")
  per=$(awk -v d=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", d / hz * 1e6 / $1}' <<<"$out")
  db_per=$(awk -v d=$((db1 - db0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", d / hz * 1e6 / $1}' <<<"$out")
  printf '%-18s c=%-4s %10s req/s  p99 %-9s CPU us/req: server %4s, PostgreSQL %4s, wrk %4s %s\n' \
    "$name" "$c" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$per" "$db_per" "$client_per" "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
# The ballot box's own figures from /metrics: sums and counts of its histograms, and
# the transactions and flushes slower than 50 ms.
box_snapshot() {
  curl -sf "$base/metrics" | awk '
    /^communitise_ballot_(batch_size|transaction_seconds|flush_seconds)_(sum|count) / {print $1, $2}
    /^communitise_ballot_(transaction|flush)_seconds_bucket\{le="0.05"\}/ {sub(/_bucket.*/, "_under50", $1); print $1, $2}'
}
box_report() {  # box_report BEFORE AFTER: what the ballot box did between two snapshots
  python3 - "$1" "$2" <<'PY'
import sys
def read(text):
    return {k: float(v) for k, v in (line.split() for line in text.splitlines() if line.strip())}
a, b = read(sys.argv[1]), read(sys.argv[2])
d = {k: b.get(k, 0) - a.get(k, 0) for k in b}
n = d.get("communitise_ballot_batch_size_count", 0)
f = d.get("communitise_ballot_flush_seconds_count", 0)
if n:
    # No flushes of their own where each batch's COMMIT made it durable (PostgreSQL).
    flush = "flush %.1f ms on average (%d over 50 ms)" % (
        1000 * d["communitise_ballot_flush_seconds_sum"] / f,
        f - d["communitise_ballot_flush_seconds_under50"]) if f else "flushed by the COMMIT"
    print("  ballot box: %d batches of %.0f ballots on average; transaction %.1f ms on average"
          " (%d over 50 ms); %s" % (
          n, d["communitise_ballot_batch_size_sum"] / n,
          1000 * d["communitise_ballot_transaction_seconds_sum"] / n,
          n - d["communitise_ballot_transaction_seconds_under50"], flush))
PY
}
for c in 64 512; do
  export VOTERS=$dir/load.txt OFFSET=0 REPLACE=1 RECEIPTS=
  perf_pid=
  if [[ -n ${PERF:-} && $c == 64 ]]; then
    mkdir -p "$PERF"
    perf record ${PERF_ARGS:--g} -p "$pid" -o "$PERF/$BACKEND.perf.data" -- sleep "$seconds" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  box0=$(box_snapshot)
  wrk_run "ballots" "$c" -s bench/ballot_load.lua "$base"
  box_report "$box0" "$(box_snapshot)"
  [[ $c == 512 ]] && max512=$last_rate
  [[ -n $perf_pid ]] && wait "$perf_pid"
  wrk_run "static css" "$c" "$base/static/communitise.css"
done
echo "ballots stored: $("$bin" pb-round ballots --database "$db" --round "$round")"

# Open loop: 512 voters each casting at a fixed pace, in all 50% and 80% of the rate the
# closed loop reached at 512 (build/bench/open_loop; latency from the scheduled send).
open_loop=${OPEN_LOOP:-$(dirname "$bin")/bench/open_loop}
if [[ -x $open_loop && -n ${max512:-} ]]; then
  for share in 50 80; do
    rate=$(awk -v m="$max512" -v s="$share" 'BEGIN {printf "%d", m * s / 100}')
    printf 'open loop at %s%% (%s/s): ' "$share" "$rate"
    box0=$(box_snapshot)
    "$open_loop" --port "$port" --round "$round" --choices "$choices" --voters "$dir/load.txt" \
      --connections 512 --rate "$rate" --seconds "$seconds" --max-choices 5 | tr '\n' ' '
    echo
    box_report "$box0" "$(box_snapshot)"
  done
fi

((kills > 0)) || exit 0

# Durability: SIGKILL during load, restart, check every acknowledged receipt.
# Each run uses fresh voters (REPLACE=0), so every acknowledgement is a new ballot.
before=$("$bin" pb-round ballots --database "$db" --round "$round")
mkdir -p "$dir/receipts"
block=$((half / kills))
export VOTERS=$dir/fresh.txt REPLACE=0 RECEIPTS=$dir/receipts
for k in $(seq "$kills"); do
  OFFSET=$(((k - 1) * block)) timeout -s INT 4 wrk -t2 -c64 -d30s --timeout 10s -s bench/ballot_load.lua "$base" >/dev/null 2>&1 &
  wrk_pid=$!
  sleep "1.$((RANDOM % 9))"
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
  start_server
done
cat "$dir"/receipts/*.txt > "$dir/acked.txt"
acked=$(wc -l < "$dir/acked.txt")
after=$("$bin" pb-round ballots --database "$db" --round "$round")
stored=$((after - before))
echo "kill -9 x$kills: ballots acknowledged $acked, new ballots stored $stored (stored - acknowledged = $((stored - acked)): replies cut off by the kill)"
RECEIPTS_FILE=$dir/acked.txt wrk -t1 -c1 -d60s -s bench/receipt_check.lua "$base" 2>/dev/null | grep receipts || true
