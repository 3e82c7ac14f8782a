#!/usr/bin/env bash
# The "who decides" load benchmark, one command:  bench/run.sh [ROLES ...]   (default: 1000 10000)
# For each size: a fresh embedded database, the Release build of the service, an organisation of
# ROLES roles seeded through the HTTP write path, then wrk in the same run against
#   /health/live (the ceiling), decision-makers?domain=<random key>, the same asOf the end of seeding,
#   decision-makers?q=<random phrase>, and the service's RSS after the key-lookup run. Results: bench/results/, summary: bench/report.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
dotnet build -c Release src/Governance.Api -v q -nologo >/dev/null
out=bench/results; mkdir -p "$out"
port=${PORT:-5090}; duration=${DURATION:-15s}; conns=${CONNS:-32}
url=http://127.0.0.1:$port
app=

for roles in "${@:-1000 10000}"; do
  for n in $roles; do
    root=$(mktemp -d /tmp/governance-bench-XXXXXX); chmod 755 "$root"
    : > "$out/app-$n.log"
    trap 'kill $app 2>/dev/null || true' EXIT
    start_service src/Governance.Api/bin/Release/net10.0/Governance.Api.dll "$root" "$out/app-$n.log"
    start=$(date +%s)
    python3 bench/seed.py --url "$url" --roles "$n" --out "$out/seed-$n"
    echo "seed_seconds $(( $(date +%s) - start ))" > "$out/meta-$n.txt"
    asof=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ); sleep 1   # P5: the registry as it stood after seeding, from the temporal model
    org=$(cat "$out/seed-$n.org")
    # warm-up: both question forms (first use of a question word looks up its lexemes once)
    wrk -t2 -c"$conns" -d3s -s bench/random-path.lua "$url" -- "/api/orgs/$org/decision-makers?domain=" "$out/seed-$n.keys" >/dev/null
    wrk -t2 -c"$conns" -d3s -s bench/random-path.lua "$url" -- "/api/orgs/$org/decision-makers?q=" "$out/seed-$n.phrases" >/dev/null
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency "$url/health/live" > "$out/health-$n.txt"
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency -s bench/random-path.lua "$url" -- "/api/orgs/$org/decision-makers?domain=" "$out/seed-$n.keys" > "$out/key-$n.txt"
    echo "rss_kb $(awk '/VmRSS/ {print $2}' /proc/$app/status)" >> "$out/meta-$n.txt"
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency -s bench/random-path.lua "$url" -- "/api/orgs/$org/decision-makers?asOf=$asof&domain=" "$out/seed-$n.keys" > "$out/asof-$n.txt"
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency -s bench/random-path.lua "$url" -- "/api/orgs/$org/decision-makers?q=" "$out/seed-$n.phrases" > "$out/text-$n.txt"
    kill "$app"; wait "$app" 2>/dev/null || true
    rm -rf "$root"
  done
done
python3 bench/report.py "$out"
