#!/usr/bin/env bash
# Start-up and memory at size (issue 13, parts 1 and 2), one command:  bench/memory.sh [ORGS] [ROLES]   (default 200 500)
# Seeds ORGS organisations of ROLES roles (bench/seed_many.py) and one of 1,000 roles (bench/seed.py) through the
# HTTP write path into an embedded database (DATA=<folder> keeps it, and a later run with the same DATA skips
# seeding), then measures the Release build, restarted, in one run:
#   ready_empty_ms / ready_ms  spawn to /health/ready 200 on an empty store / on the seeded one (both start their PostgreSQL)
#   rss_ready_kb              RSS once ready on the seeded store
#   cold_ms                   the first question to each of 10 organisations (each loads its organisation with all of
#   cold_1k_ms                its events, and stores a snapshot), and to the 1,000-role one
#   wrk                       15 s of questions over those 10 organisations, then rss_10_kb
#   snapshot_ms, snapshot_1k_ms  the same first questions after a restart: each load reads the snapshot and the events after it
#   rss_all_kb                restarted with a budget that holds everything, after one question to every organisation:
#                             what holding the whole store costs; with the events held, the cost of a folded event
# Results: bench/results/memory.txt (and memory-wrk.txt, memory-app.log).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
# Published as deploy/Dockerfile ships it (ReadyToRun): a cold load runs code that a build without it would still be compiling.
publish=$(mktemp -d /tmp/governance-memory-publish-XXXXXX)
dotnet publish src/Governance.Api -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$publish" -v q -nologo >/dev/null
out=bench/results; mkdir -p "$out"; : > "$out/memory-app.log"
orgs=${1:-200}; roles=${2:-500}
port=$(free_port); url=http://127.0.0.1:$port
data=${DATA:-$(mktemp -d /tmp/governance-memory-XXXXXX)}; mkdir -p "$data"; chmod 755 "$data"
empty=$(mktemp -d /tmp/governance-memory-empty-XXXXXX); chmod 755 "$empty"
app=
cleanup() { [ -z "$app" ] || kill "$app" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$empty" "$publish"; [ -n "${DATA:-}" ] || rm -rf "$data"; }
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# start ROOT [SETTING=VALUE...]: the published service on the embedded database under ROOT, each load logged; sets $app, and $ms to ready.
start() {
  local root=$1 started; shift; started=$(now_ms)
  start_service "$publish/Governance.Api.dll" "$root" "$out/memory-app.log" Logging__LogLevel__Governance.Registry.LiveRegistry=Debug "$@"
  ms=$(( $(now_ms) - started ))
}
stop() { kill "$app"; wait "$app" 2>/dev/null || true; app=; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$app/status"; }
first() { curl -sf -o /dev/null -w '%{time_total}' "$url$1" | awk '{printf "%.0f", $1 * 1000}'; }

if [ ! -f "$data/seeded" ]; then
  start "$data"
  started=$(date +%s)
  python3 bench/seed_many.py --url "$url" --orgs "$orgs" --roles "$roles" --out "$data/many"
  python3 bench/seed.py --url "$url" --roles 1000 --out "$data/big"
  echo "seed_seconds $(( $(date +%s) - started ))" > "$data/seeded"
  stop
fi

{
  echo "# $(date -u +%FT%TZ), $(nproc) cores, commit $(git rev-parse --short HEAD), $(wc -l < "$data/many.orgs") organisations of $roles roles + one of 1,000"
  cat "$data/seeded"
  start "$empty"; stop   # untimed: creates the cluster and the schema
  start "$empty"; echo "ready_empty_ms $ms"; stop
  mark=$(wc -l < "$out/memory-app.log")
  start "$data"; echo "ready_ms $ms"
  echo "events_in_store $(tail -n +"$mark" "$out/memory-app.log" | grep -o 'from sequence [0-9]*' | tail -1 | grep -o '[0-9]*$')"
  echo "rss_ready_kb $(rss)"
  # Snapshots from an earlier run would make these loads something else than full ones.
  PGPASSWORD=$(cat "$data/pg/superuser-password") psql -q -h 127.0.0.1 -p "$(sed -n 4p "$data/pg/pgdata/postmaster.pid")" -U governance \
    -d governance -c "delete from mt_doc_organisationsnapshot"
  ten=$(head -10 "$data/many.orgs")
  firsts() { local times=(); for org in $ten; do times+=("$(first "$(grep -m1 "^$org " "$data/many.paths" | cut -d' ' -f2)")"); done; echo "${times[*]}"; }
  big="/api/orgs/$(cat "$data/big.org")/decision-makers?domain=$(head -1 "$data/big.keys")"
  echo "cold_ms $(firsts)"
  echo "cold_1k_ms $(first "$big")"
  for org in $ten; do grep "^$org " "$data/many.paths" | cut -d' ' -f2; done > "$data/ten.paths"
  wrk -t2 -c32 -d15s --timeout 30s --latency -s bench/random-url.lua "$url" -- "$data/ten.paths" > "$out/memory-wrk.txt"
  echo "wrk_10 $(grep -E 'Requests/sec' "$out/memory-wrk.txt" | awk '{print $2}') req/s, p99 $(grep -E '^ +99%' "$out/memory-wrk.txt" | awk '{print $2}')"
  echo "rss_10_kb $(rss)"
  stop
  start "$data"
  echo "snapshot_ms $(firsts)"
  echo "snapshot_1k_ms $(first "$big")"
  stop
  mark=$(wc -l < "$out/memory-app.log")
  start "$data" Governance__Registry__MemoryBudgetMB=65536
  while read -r org; do first "$(grep -m1 "^$org " "$data/many.paths" | cut -d' ' -f2)" > /dev/null; done < "$data/many.orgs"
  echo "rss_all_kb $(rss)"
  tail -n +"$mark" "$out/memory-app.log" | grep -o 'Loaded organisation [^:]*: [0-9]* events in [0-9.]* ms' \
    | awk '{e += $4; t += $7; n++} END {printf "loaded_all %d organisations, %d events, mean %.1f ms per organisation\n", n, e, t / n}'
  stop
} | tee "$out/memory.txt"
