#!/usr/bin/env bash
# P8, webhook delivery, one command:  bench/webhooks.sh [WRITES] [CONCURRENCY]   (default: 1000 8)
# A fresh embedded database, the Release build, a receiver on loopback that answers 500 to one request
# in ten (FAIL_RATE) and 204 otherwise, one subscription to decision-rights changes. WRITES governance
# changes (a role with a domain each: one governance.decision-rights.changed each) from CONCURRENCY
# clients, each in its own circle; then waits for the deliveries. Prints events appended, delivered, duplicated (a webhook-id
# accepted twice), retried (500s answered) and the lag: last delivery after the last write's answer.
# Target (DESIGN.md P8): lag <= 2 s after load stops, delivered = appended.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
dotnet build -c Release src/Governance.Api -v q -nologo >/dev/null
out=bench/results; mkdir -p "$out"
port=${PORT:-5093}; url=http://127.0.0.1:$port
writes=${1:-1000}; concurrency=${2:-8}
root=$(mktemp -d /tmp/governance-hookbench-XXXXXX); chmod 755 "$root"
: > "$out/webhooks-app.log"
app=
trap 'kill $app 2>/dev/null || true; rm -rf "$root"' EXIT
start_service src/Governance.Api/bin/Release/net10.0/Governance.Api.dll "$root" "$out/webhooks-app.log" \
  Governance__Webhooks__AllowPrivateTargets=true Governance__Webhooks__FirstRetryDelay=00:00:00.5
python3 - "$url" "$writes" "$concurrency" "$(free_port)" "${FAIL_RATE:-0.1}" <<'PY'
import http.server, json, random, sys, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, writes, concurrency, port, fail_rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
lock = threading.Lock(); accepted = {}; duplicated = 0; failed_answers = 0; last_arrival = 0.0
class Desk(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real desk's server answers
    def log_message(self, *args): pass
    def do_POST(self):
        global duplicated, failed_answers, last_arrival
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        hook = self.headers["webhook-id"]
        with lock:
            if random.random() < fail_rate:
                failed_answers += 1; code = 500
            else:
                code = 204
                if hook in accepted: duplicated += 1
                accepted[hook] = time.perf_counter(); last_arrival = accepted[hook]
        self.send_response(code); self.send_header("Content-Length", "0"); self.end_headers()
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog (5) refuses connections under parallel deliveries
server = Server(("127.0.0.1", port), Desk)
threading.Thread(target=server.serve_forever, daemon=True).start()
def call(method, path, body=None):
    request = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as r: return json.loads(r.read() or b"null")
org = call("POST", "/api/orgs", {"name": "Webhook bench"})
hook = call("POST", f"/api/orgs/{org['id']}/webhooks", {"url": f"http://127.0.0.1:{port}/hook", "events": ["governance.decision-rights.changed"]})["id"]
circles = [call("POST", f"/api/orgs/{org['id']}/circles/{org['anchorCircleId']}/governance",
                {"changes": [{"op": "createRole", "name": f"Circle {c}", "isCircle": True, "domains": [{"key": f"c{c}", "title": f"C{c}"}]}]})["results"][0]["roleId"]
           for c in range(concurrency)]
time.sleep(2)
with lock: accepted.clear(); duplicated = 0; failed_answers = 0
def client(c):
    # Each client writes into its own circle, one change after another (a circle's changes are serial, §5.3).
    for i in range(c, writes, concurrency):
        call("POST", f"/api/orgs/{org['id']}/circles/{circles[c]}/governance",
             {"changes": [{"op": "createRole", "name": f"Role {i}", "domains": [{"key": f"c{c}/d{i}", "title": f"D{i}"}]}]})
started = time.perf_counter()
with ThreadPoolExecutor(concurrency) as pool: list(pool.map(client, range(concurrency)))
load_end = time.perf_counter()
while time.perf_counter() - load_end < 60:
    with lock:
        if len(accepted) >= writes: break
    time.sleep(0.01)
with lock:
    lag = max(0.0, last_arrival - load_end)
    print(f"writes={writes} concurrency={concurrency} load_s={load_end - started:.1f} appended={writes} delivered={len(accepted)} "
          f"duplicated={duplicated} retried={failed_answers} lag_after_load_s={lag:.2f} (target <= 2 s, delivered = appended)")
for status in ("pending", "failed"):
    items = call("GET", f"/api/orgs/{org['id']}/webhooks/{hook}/deliveries?status={status}")["items"]
    if items: print(f"  {status} (up to 100): {len(items)}; e.g. attempts={items[0]['attempts']} lastError={items[0]['lastError']}")
PY
