#!/usr/bin/env bash
# P3, governance writes against bare INSERT commits, one command:  bench/writes.sh
# A fresh embedded database and the Release build of the service; then, in the same run and on the
# same PostgreSQL, at CONNS connections (default 32):
#   - governance writes: wrk, each connection recording "create a role with a purpose, 3
#     accountabilities and a domain" in its own circle (bench/governance-write.lua);
#   - bare INSERT commits: pgbench, one single-row INSERT per transaction;
#   - contention: the same governance writes, every connection into one circle (409s counted).
# Results: bench/results/writes-*.txt; the ratio is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
dotnet build -c Release src/Governance.Api -v q -nologo >/dev/null
out=bench/results; mkdir -p "$out"
port=${PORT:-5091}; duration=${DURATION:-15s}; conns=${CONNS:-32}
url=http://127.0.0.1:$port
root=$(mktemp -d /tmp/governance-writes-XXXXXX); chmod 755 "$root"
app=
trap '[ -z "$app" ] || kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$root"' EXIT
: > "$out/writes-app.log"
start_service src/Governance.Api/bin/Release/net10.0/Governance.Api.dll "$root" "$out/writes-app.log"

# An organisation with one circle per connection, each holding its own domain.
python3 - "$url" "$conns" "$root" <<'PY'
import json, sys, urllib.request
url, conns, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def post(path, body):
    request = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))
org = post("/api/orgs", {"name": "Write Bench"})
changes = [{"op": "createRole", "name": f"Circle {i}", "isCircle": True, "domains": [{"key": f"c{i}", "title": f"C {i}"}]}
           for i in range(conns)]
results = post(f"/api/orgs/{org['id']}/circles/{org['anchorCircleId']}/governance", {"changes": changes})["results"]
open(f"{root}/org", "w").write(org["id"])
open(f"{root}/circles", "w").write("".join(f"{r['roleId']} c{i}\n" for i, r in enumerate(results)))
open(f"{root}/one-circle", "w").write(f"{results[0]['roleId']} c0\n")
PY
org=$(cat "$root/org")

# The same PostgreSQL, reached as the service reaches it (its password file, its port).
pgport=$(sed -n 's/.*running on 127.0.0.1:\([0-9]*\).*/\1/p' "$out/writes-app.log" | head -n 1)
bin=$(pg_bin)
export PGPASSWORD; PGPASSWORD=$(cat "$root/pg/superuser-password")
pg=(-h 127.0.0.1 -p "$pgport" -U governance governance)

# Warm-up to a steady state: 20 s (WARMUP) of the same writes, so the JIT's tiering is done (with 3 s
# it still took 15 % of the CPU during the measured run), then ANALYZE: a fresh database has no
# planner statistics until autovacuum's first pass (about a minute), and until then PostgreSQL
# reads the event table from start to end for every round of the live registry (measured: 50 % of
# PostgreSQL's CPU, 9M rows read in 10 s). A database in service has its statistics.
wrk -t"$conns" -c"$conns" -d"${WARMUP:-20s}" -s bench/governance-write.lua "$url" -- "$org" "$root/circles" warmup >/dev/null
"$bin/psql" -q "${pg[@]}" -c "analyze"
# CPU seconds (user + system) of the service and of this cluster's PostgreSQL processes so far.
cpu() {
  local postmaster; postmaster=$(head -n 1 "$root/pg/pgdata/postmaster.pid")
  python3 - "$app" "$postmaster" <<'PY'
import os, sys
app, postmaster = sys.argv[1], sys.argv[2]
def ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]), fields[1]
pg = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        t, parent = ticks(pid)
        if pid == postmaster or parent == postmaster: pg += t
    except OSError:
        pass
hz = os.sysconf("SC_CLK_TCK")
print(ticks(app)[0] / hz, pg / hz)
PY
}
before=$(cpu)
wrk -t"$conns" -c"$conns" -d"$duration" --timeout 30s --latency -s bench/governance-write.lua "$url" -- "$org" "$root/circles" own > "$out/writes-governance.txt"
echo "$before $(cpu)" > "$out/writes-cpu.txt"
"$bin/psql" -q "${pg[@]}" -c "create table if not exists bench_insert (id bigserial primary key, v int not null, at timestamptz not null default now())"
echo "insert into bench_insert (v) values (1);" > "$root/insert.sql"
"$bin/pgbench" -n -c "$conns" -j 2 -T "${duration%s}" -f "$root/insert.sql" "${pg[@]}" > "$out/writes-insert.txt" 2>&1

wrk -t"$conns" -c"$conns" -d"$duration" --timeout 30s --latency -s bench/governance-write.lua "$url" -- "$org" "$root/one-circle" shared > "$out/writes-contention.txt"

python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def wrk(name):
    text = open(f"{out}/writes-{name}.txt").read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    total = int(re.search(r"(\d+) requests in", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
    p50 = re.search(r"50%\s+([\d.]+\w+)", text).group(1)
    return rate, non2xx, total, p50, p99
governance = wrk("governance")
contention = wrk("contention")
insert = float(re.search(r"tps = ([\d.]+)", open(f"{out}/writes-insert.txt").read()).group(1))
print(f"governance writes, one circle per connection: {governance[0]:.0f}/s ({governance[1]} of {governance[2]} not 2xx), p50 {governance[3]}, p99 {governance[4]}")
print(f"bare INSERT commits (pgbench): {insert:.0f}/s")
print(f"P3 = {governance[0] / insert:.3f}x (target >= 0.33x)")
app0, pg0, app1, pg1 = map(float, open(f"{out}/writes-cpu.txt").read().split())
print(f"CPU per governance write: service {1000 * (app1 - app0) / governance[2]:.2f} ms, PostgreSQL {1000 * (pg1 - pg0) / governance[2]:.2f} ms")
print(f"contention, every connection on one circle: {contention[0]:.0f} answers/s, {contention[1]} of {contention[2]} not 2xx (409 concurrent-change), p50 {contention[3]}, p99 {contention[4]}")
PY
