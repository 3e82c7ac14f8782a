#!/usr/bin/env python3
"""Summarises bench/results into the markdown table of docs/benchmarks.md."""
import glob, os, re, sys

def wrk(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", text)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    timeouts = re.search(r"timeout (\d+)", text)
    failed = (int(non2xx.group(1)) if non2xx else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return rps, pct(50), pct(99), failed

def meta(path):
    return dict(line.split() for line in open(path) if line.strip())

out = sys.argv[1] if len(sys.argv) > 1 else "bench/results"
sizes = sorted(int(re.search(r"health-(\d+)", p).group(1)) for p in glob.glob(os.path.join(out, "health-*.txt")))
print("| roles | endpoint | req/s | p50 ms | p99 ms | non-2xx or timed out | vs ceiling (req/s, p99) |")
print("|---|---|---|---|---|---|---|")
keys = {}
for n in sizes:
    h = wrk(os.path.join(out, f"health-{n}.txt"))
    for name, file in [("/health/live (ceiling)", "health"), ("decision-makers?domain=", "key"), ("decision-makers?asOf=&domain=", "asof"), ("decision-makers?q=", "text")]:
        if not os.path.exists(os.path.join(out, f"{file}-{n}.txt")): continue
        r = wrk(os.path.join(out, f"{file}-{n}.txt"))
        if file == "asof": keys[(n, "asof")] = r
        if file == "key": keys[n] = r
        if file == "text": keys[(n, "text")] = r
        print(f"| {n:,} | `{name}` | {r[0]:,.0f} | {r[1]:.2f} | {r[2]:.2f} | {r[3]} | {r[0] / h[0]:.2f}x, {r[2] / h[2]:.1f}x |")
print()
for n in sizes:
    m = meta(os.path.join(out, f"meta-{n}.txt"))
    print(f"- {n:,} roles: seeded through HTTP in {m.get('seed_seconds', '?')} s; RSS after the key-lookup run {int(m.get('rss_kb', 0)) / 1024:.0f} MB")
if sizes and keys:
    smallest, largest = sizes[0], sizes[-1]
    print(f"- P2 ratio: free-text p99 at {largest:,} roles / key-lookup p99 at {smallest:,} roles = "
          f"{keys[(largest, 'text')][2] / keys[smallest][2]:.1f}x (target <= 3x)")
    for n in sizes:
        if (n, "asof") in keys:
            print(f"- P5 at {n:,} roles: asOf key lookup p50 {keys[(n, 'asof')][1]:.2f} ms / current {keys[n][1]:.2f} ms = "
                  f"{keys[(n, 'asof')][1] / keys[n][1]:.1f}x; p99 {keys[(n, 'asof')][2] / keys[n][2]:.1f}x (target <= 2x)")
