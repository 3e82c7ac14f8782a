#!/usr/bin/env python3
"""Builds many organisations of N roles each through the service's own HTTP write path, several at once.

Shape of each: the Anchor Circle holds 10 circles (key c<i>), each holding N/10 roles with two
domains (c<i>/r<k>, c<i>/s<k>), a purpose, two accountabilities and a keyword; one role in ten is
filled by a person of its own. Writes, next to --out: .orgs (one organisation id per line) and
.paths (for each organisation, 50 who-decides paths on its keys: "<org> <path>").
"""
import argparse, random, sys
from concurrent.futures import ThreadPoolExecutor

from seed import ROLE_KINDS, WORDS, call  # the same vocabulary and HTTP helper as the one-organisation seed

def seed(url, n, roles):
    rnd = random.Random(n)
    org = call(url, "POST", "/api/orgs", {"name": f"Org {n}"})
    o, anchor = org["id"], org["anchorCircleId"]
    base = f"/api/orgs/{o}"
    circles = call(url, "POST", f"{base}/circles/{anchor}/governance", {"changes": [
        {"op": "createRole", "name": f"Circle {i}", "isCircle": True, "domains": [{"key": f"c{i}", "title": f"Circle {i} {WORDS[i]}"}]}
        for i in range(10)]})["results"]
    made, keys = [], []
    for i, c in enumerate(circles):
        changes = []
        for k in range(roles // 10):
            w = rnd.sample(WORDS, 6)
            changes.append({"op": "createRole", "name": f"{w[0].title()} {rnd.choice(ROLE_KINDS)} {i}-{k}",
                            "purpose": f"Good {w[0]} and {w[1]}", "accountabilities": [f"Handling {w[2]} requests", f"Reviewing {w[3]}"],
                            "domains": [{"key": f"c{i}/r{k}", "title": f"{w[0].title()} {w[1]}", "keywords": [w[4]]},
                                        {"key": f"c{i}/s{k}", "title": f"{w[2].title()} {w[5]}"}]})
            keys.append(f"c{i}/r{k}")
        made += [r["roleId"] for r in call(url, "POST", f"{base}/circles/{c['roleId']}/governance", {"changes": changes})["results"]]
    for m, role in enumerate(made[::10]):
        person = call(url, "POST", f"{base}/people", {"name": f"Person {n}.{m}", "email": f"p{n}.{m}@bench.test"})["id"]
        call(url, "POST", f"{base}/roles/{role}/assignments", {"personId": person})
    return o, [f"{base}/decision-makers?domain={k}" for k in rnd.sample(keys, min(50, len(keys)))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://localhost:5091")
    ap.add_argument("--orgs", type=int, default=200)
    ap.add_argument("--roles", type=int, default=500)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=8)
    a = ap.parse_args()
    with ThreadPoolExecutor(a.threads) as pool:
        seeded = list(pool.map(lambda n: seed(a.url, n, a.roles), range(a.orgs)))
    with open(a.out + ".orgs", "w") as f:
        f.write("".join(f"{o}\n" for o, _ in seeded))
    with open(a.out + ".paths", "w") as f:
        f.write("".join(f"{o} {p}\n" for o, paths in seeded for p in paths))
    print(f"seeded {len(seeded)} organisations of {a.roles} roles", file=sys.stderr)

if __name__ == "__main__":
    main()
