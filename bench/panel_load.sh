#!/usr/bin/env bash
# panel_load.sh [BINARY] [SECONDS] [PARTICIPANTS] [STATEMENTS]: latency of the resident
# panel page, the forum page and the opinion-map page (anonymous and signed in) at 64
# keep-alive connections, beside a static file in the same run, measured with wrk on
# loopback against one server started here on a fresh SQLite database with demo data.
# Before measuring, PARTICIPANTS signed-in people (made with `pb-round rehearsal-voters`)
# vote on STATEMENTS statements of the demo panel's forum through the pages, so the map
# has something to compute. A measurement, not a test: the figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/communitise}")
seconds=${2:-10}
participants=${3:-300}
statements=${4:-40}
command -v wrk >/dev/null || { echo "needs wrk (apt package wrk)" >&2; exit 1; }

dir=$(mktemp -d /tmp/communitise-panel-load.XXXXXX)
port=$((20000 + RANDOM % 40000))
db="sqlite:$dir/load.db"
"$bin" serve --database "$db" --listen "127.0.0.1:$port" --demo --no-access-log \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

programme=ncil-resident-panel
panel=$(curl -sf "$base/programmes/$programme/panels" | grep -o 'href="/panels/[0-9]*"' | head -n 1 | cut -d'"' -f2)
forum=$(curl -sf "$base/programmes/$programme/forums" | grep -o 'href="/forums/[0-9]*"' | head -n 1 | cut -d'"' -f2)
[[ -n $panel && -n $forum ]] || { echo "no demo panel or forum found" >&2; exit 1; }
"$bin" pb-round rehearsal-voters --database "$db" --programme "$programme" --count "$participants" \
  --prefix "mapvoter@load.communitise.test" --password "a long load-test password" \
  --out "$dir/sessions.txt" >/dev/null

# Statements and votes through the pages' forms, as people would send them: two camps
# that agree and disagree on alternate statements, with some noise and passes.
python3 - "$base" "$forum" "$dir/sessions.txt" "$statements" <<'EOF'
import http.client, random, re, sys, urllib.parse
base, forum, sessions_file, n_statements = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
sessions = [line.split() for line in open(sessions_file) if line.strip()]
conn = http.client.HTTPConnection(host, port)
def post(path, token, fields):
    body = urllib.parse.urlencode(fields)
    conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": f"communitise_session={token}"})
    res = conn.getresponse(); res.read()
    if res.status not in (200, 303): raise SystemExit(f"{path}: {res.status}")
for i in range(n_statements):
    token, csrf = sessions[i % len(sessions)]
    post(f"{forum}/statements", token, {"csrf_token": csrf, "text": f"Statement {i + 1}: the levy should fund priority {i + 1}"})
conn.request("GET", f"{forum}/map", headers={"Cookie": f"communitise_session={sessions[0][0]}"})
page = conn.getresponse().read().decode()
ids = sorted({int(x) for x in re.findall(r'action="/statements/(\d+)/vote"', page)})
rng = random.Random(7)
for p, (token, csrf) in enumerate(sessions):
    camp = p % 2
    for k, sid in enumerate(ids):
        r = rng.random()
        if r < 0.3: continue
        vote = "pass" if r < 0.4 else ("agree" if (k % 2 == camp) == (r < 0.9) else "disagree")
        post(f"/statements/{sid}/vote", token, {"csrf_token": csrf, "vote": vote, "back": f"{forum}/map"})
print(f"{len(sessions)} participants voted on {len(ids)} statements")
EOF
token=$(head -n 1 "$dir/sessions.txt" | cut -d' ' -f1)

run() {  # run NAME PATH [HEADER]
  local out
  if [[ -n ${3:-} ]]; then
    out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -H "$3" "$base$2")
  else
    out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency "$base$2")
  fi
  printf '%-34s %9s req/s  p50 %-9s p99 %-9s %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
echo "64 connections, ${seconds}s each; map of $participants participants x $statements statements"
run "static /static/communitise.css" /static/communitise.css
run "panel $panel" "$panel"
run "forum $forum" "$forum"
run "opinion map $forum/map" "$forum/map"
run "opinion map, signed in" "$forum/map" "Cookie: communitise_session=$token"
run "static /static/communitise.css" /static/communitise.css
