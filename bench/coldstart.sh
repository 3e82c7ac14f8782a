#!/usr/bin/env bash
# P7, cold start to first 200, one command:  bench/coldstart.sh [RUNS]   (default 5)
# Starts, RUNS times each and alternately, the published service (ReadyToRun, as deploy/Dockerfile; Production, pre-generated
# handler code, on a PostgreSQL this script starts; empty store, schema applied by an untimed first
# start), a bare ASP.NET Core app (bench/bare) and the service's stack alone (bench/critter: Marten and
# Wolverine's outbox, one MapGet), and times each from the process's spawn to its first 200: the bare
# app's and the stack's "/", the service's /health/live (it answers) and /health/ready (its
# database answers and its registry has read the store). "Cold" is a new process; the files are in
# the OS cache for both alike. Results: bench/results/coldstart.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-5}
out=bench/results; mkdir -p "$out"
# Both as deploy/Dockerfile ships the service: published, ReadyToRun (BUILD=plain: the Release build as it is).
publish=$(mktemp -d /tmp/governance-coldstart-publish-XXXXXX)
for project in src/Governance.Api bench/bare bench/critter; do
  if [ "${BUILD:-r2r}" = plain ]; then
    dotnet publish "$project" -c Release -o "$publish/$(basename "$project")" -v q -nologo >/dev/null
  else
    dotnet publish "$project" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
      -o "$publish/$(basename "$project")" -v q -nologo >/dev/null
  fi
done
service=$publish/Governance.Api/Governance.Api.dll
bare=$publish/bare/Bare.dll
critter=$publish/critter/Critter.dll

# A PostgreSQL of its own (as root, run by the postgres user, which PostgreSQL requires).
bin=$(pg_bin)
root=$(mktemp -d /tmp/governance-coldstart-XXXXXX); chmod 755 "$root"
as_postgres() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$root"; runuser -u postgres -- "$@"; else "$@"; fi; }
pgport=$(free_port)
as_postgres "$bin/initdb" -D "$root/data" -U governance -A trust >/dev/null
as_postgres "$bin/pg_ctl" -D "$root/data" -o "-p $pgport -k $root -c listen_addresses=127.0.0.1" -l "$root/pg.log" -w start >/dev/null
trap 'as_postgres "$bin/pg_ctl" -D "$root/data" -m fast stop >/dev/null; rm -rf "$root" "$publish"' EXIT
as_postgres "$bin/createdb" -h 127.0.0.1 -p "$pgport" -U governance governance
export ConnectionStrings__Governance="Host=127.0.0.1;Port=$pgport;Username=governance;Database=governance"
export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Governance__Auth__Development=true

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Spawns `dotnet DLL`, prints the milliseconds until each URL path answered 200 (in order), stops it.
time_start() {
  local dll=$1 port=$2; shift 2
  local started; started=$(now_ms)
  dotnet "$dll" --urls "http://127.0.0.1:$port" >"$root/app.log" 2>&1 &
  local pid=$! times=()
  for path in "$@"; do
    until curl -sf -o /dev/null "http://127.0.0.1:$port$path"; do
      kill -0 "$pid" 2>/dev/null || { cat "$root/app.log"; exit 1; }
      sleep 0.005
    done
    times+=($(( $(now_ms) - started )))
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "${times[*]}"
}
port=$(free_port)
time_start "$service" "$port" /health/ready >/dev/null   # untimed: creates the schema

{
  echo "# run bare_ms critter_ms service_live_ms service_ready_ms ($(date -u +%FT%TZ), ${BUILD:-r2r}, $(nproc) cores, commit $(git rev-parse --short HEAD))"
  for i in $(seq 1 "$runs"); do
    echo "$i $(time_start "$bare" "$port" /) $(time_start "$critter" "$port" /) $(time_start "$service" "$port" /health/live /health/ready)"
  done
} | tee "$out/coldstart.txt"
python3 - "$out/coldstart.txt" <<'PY'
import statistics, sys
rows = [list(map(int, l.split()[1:])) for l in open(sys.argv[1]) if not l.startswith("#")]
bare, critter, live, ready = (statistics.median(c) for c in zip(*rows))
print(f"median of {len(rows)}: bare {bare:.0f} ms, the stack alone {critter:.0f} ms = {critter / bare:.2f}x, "
      f"service first 200 (/health/live) {live:.0f} ms = {live / bare:.2f}x, ready {ready:.0f} ms = {ready / bare:.2f}x (P7 target <= 3x)")
PY
