#!/usr/bin/env bash
# The web app's who-decides page, one command:  bench/web.sh [ROLES ...]   (default: 1000 10000)
# For each size: a fresh embedded database, the Release build, ROLES roles seeded through the HTTP
# write path (bench/seed.py), then REQUESTS sequential page loads of /orgs/{org}/decide?q=<key> and
# ?q=<phrase> after a warm-up, reading the page's Server-Timing header (the server's share) and the
# client's total. Prints p50/p95/p99 per kind (target, issue 15: server time <= 50 ms at 10k roles).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
dotnet build -c Release src/Governance.Api -v q -nologo >/dev/null
out=bench/results; mkdir -p "$out"
port=${PORT:-5091}; requests=${REQUESTS:-500}
url=http://127.0.0.1:$port
app=
for n in ${@:-1000 10000}; do
  root=$(mktemp -d /tmp/governance-webbench-XXXXXX); chmod 755 "$root"
  : > "$out/web-app-$n.log"
  trap 'kill $app 2>/dev/null || true' EXIT
  start_service src/Governance.Api/bin/Release/net10.0/Governance.Api.dll "$root" "$out/web-app-$n.log"
  python3 bench/seed.py --url "$url" --roles "$n" --out "$out/web-seed-$n" >/dev/null
  org=$(cat "$out/web-seed-$n.org")
  python3 - "$url" "$org" "$out/web-seed-$n.keys" "$out/web-seed-$n.phrases" "$requests" "$n" <<'PY'
import random, sys, time, urllib.parse, urllib.request
url, org, keys, phrases, requests, roles = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
def load(path): return [l.strip() for l in open(path) if l.strip()]
def pct(xs, p): xs = sorted(xs); return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]
for kind, items in (("key", load(keys)), ("text", load(phrases))):
    for warm in range(50): urllib.request.urlopen(f"{url}/orgs/{org}/decide?q={urllib.parse.quote(random.choice(items))}").read()
    server, total = [], []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{url}/orgs/{org}/decide?q={urllib.parse.quote(random.choice(items))}") as r:
            r.read(); timing = r.headers["Server-Timing"]
        total.append((time.perf_counter() - started) * 1000)
        server.append(float(timing.split("dur=")[1]))
    print(f"roles={roles} kind={kind} n={requests} server_ms p50={pct(server,50):.1f} p95={pct(server,95):.1f} p99={pct(server,99):.1f} "
          f"client_ms p50={pct(total,50):.1f} p95={pct(total,95):.1f} p99={pct(total,99):.1f}")
PY
  kill $app; wait $app 2>/dev/null || true
  rm -rf "$root"
done
