#!/usr/bin/env python3
"""Builds an organisation of N roles through the service's own HTTP write path.

Shape: the Anchor Circle holds 10 department circles (key d<i>), each holding 10 team circles
(d<i>/t<j>); the roles live in the teams, two domains each (d<i>/t<j>/r<k> and d<i>/t<j>/s<k>), so N roles
carry 2N domains. Names, purposes, accountabilities, titles and keywords draw on a 235-word
business vocabulary. One role in five is filled, every team circle has a Circle Lead, and each team
has a policy granting its first role refunds up to 500 EUR. Writes the domain keys and 500
support-style questions (two words of some domain, sometimes one more) next to --out.
"""
import argparse, json, random, sys, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor

# A business vocabulary, so that a question matches a few domains, as support tools' questions do.
WORDS = """refunds invoices hiring pricing security deploys vendors travel discounts onboarding payroll marketing
support hardware licenses events contracts budgets forecasts audits taxes expenses receipts reimbursements
salaries bonuses benefits pensions insurance claims warranties returns shipping delivery logistics warehouse
inventory procurement purchasing suppliers quotes tenders compliance privacy consent cookies passwords access
badges keys laptops phones monitors printers networks wifi servers backups databases releases incidents outages
alerts monitoring logging metrics dashboards reports analytics experiments surveys feedback reviews ratings
complaints escalations tickets chats calls emails newsletters campaigns ads sponsorships partnerships affiliates
referrals coupons vouchers giftcards loyalty subscriptions renewals cancellations upgrades downgrades trials
plans tiers quotas limits credits debts collections chargebacks disputes fraud risk sanctions exports imports
customs tariffs currencies exchange treasury banking loans grants donations charity volunteering wellbeing
training mentoring coaching promotions appraisals feedbacks holidays leave absences overtime shifts rosters
scheduling recruiting interviews offers relocation visas contractors freelancers interns alumni offboarding
termination equipment furniture offices rent leases cleaning catering parking energy recycling sustainability
emissions safety firstaid fire evacuation accessibility translations localisation documentation manuals
training-videos website blog seo social press media branding logos design typography illustrations photos
videos podcasts webinars conferences meetups booths merchandise swag printing packaging labels barcodes
pricing-pages checkout payments cards wallets invoicing billing dunning taxes-vat accounting bookkeeping ledgers
reconciliation closing statements investors board shareholders equity options governance policies legal
trademarks patents copyrights licensing opensource dependencies vulnerabilities pentests certificates domains
dns email-delivery spam moderation community forums ambassadors events-calendar translations-review""".split()

ROLE_KINDS = ["Agent", "Clerk", "Lead", "Coordinator", "Steward", "Specialist", "Analyst", "Officer", "Keeper", "Planner"]
ASKS = ["who approves", "can I decide on", "customer asks about", "who handles", "question about", "need a decision on", "who owns"]
def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path} -> {e.code}: {e.read().decode()[:500]}")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://localhost:5090")
    ap.add_argument("--roles", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=8)
    a = ap.parse_args()
    rnd = random.Random(42)
    org = call(a.url, "POST", "/api/orgs", {"name": f"Bench {a.roles}"})
    o, anchor = org["id"], org["anchorCircleId"]
    base = f"/api/orgs/{o}"
    depts = call(a.url, "POST", f"{base}/circles/{anchor}/governance", {"changes": [
        {"op": "createRole", "name": f"Department {i}", "isCircle": True, "domains": [{"key": f"d{i}", "title": f"Department {i} {WORDS[i]}"}]}
        for i in range(10)]})["results"]
    teams = []
    for i, d in enumerate(depts):
        res = call(a.url, "POST", f"{base}/circles/{d['roleId']}/governance", {"changes": [
            {"op": "createRole", "name": f"Team {i}.{j}", "isCircle": True, "domains": [{"key": f"d{i}/t{j}", "title": f"Team {i}.{j}"}]}
            for j in range(10)]})["results"]
        teams += [(i, j, t["roleId"]) for j, t in enumerate(res)]
    per_team = max(1, a.roles // len(teams))
    keys = []
    titles = []

    def fill_team(team):
        i, j, tid = team
        made = []
        for start in range(0, per_team, 100):
            changes = []
            for k in range(start, min(per_team, start + 100)):
                w = rnd.sample(WORDS, 6)
                changes.append({"op": "createRole", "name": f"{w[0].title()} {rnd.choice(ROLE_KINDS)} {i}-{j}-{k}",
                                "purpose": f"Good {w[0]} and {w[1]} for team {i}.{j}",
                                "accountabilities": [f"Handling {w[2]} requests", f"Reviewing {w[3]}"],
                                "domains": [{"key": f"d{i}/t{j}/r{k}", "title": f"{w[0].title()} {w[1]}", "keywords": [w[4]]},
                                            {"key": f"d{i}/t{j}/s{k}", "title": f"{w[2].title()} {w[5]}"}]})
                titles.append(f"{w[0]} {w[1]} {w[4]}")
            made += [r["roleId"] for r in call(a.url, "POST", f"{base}/circles/{tid}/governance", {"changes": changes})["results"]]
        lead = call(a.url, "POST", f"{base}/people", {"name": f"Lead {i}.{j}", "email": f"lead{i}.{j}@bench.test"})["id"]
        call(a.url, "POST", f"{base}/roles/{tid}/assignments", {"personId": lead})
        call(a.url, "POST", f"{base}/circles/{tid}/governance", {"changes": [{"op": "addPolicy", "policy": {
            "title": "Refunds up to 500", "text": "Team roles refund up to 500 EUR.", "domainKey": f"d{i}/t{j}",
            "grants": [{"roleId": made[0], "maxAmount": 500, "currency": "EUR"}]}}]})
        for n, rid in enumerate(made[::5]):
            p = call(a.url, "POST", f"{base}/people", {"name": f"Person {i}.{j}.{n}", "email": f"p{i}.{j}.{n}@bench.test"})["id"]
            call(a.url, "POST", f"{base}/roles/{rid}/assignments", {"personId": p, "focus": "bench"})
        return [f"d{i}/t{j}/r{k}" for k in range(per_team)] + [f"d{i}/t{j}/r{k}/deeper" for k in range(0, per_team, 7)]

    with ThreadPoolExecutor(a.threads) as pool:
        for ks in pool.map(fill_team, teams):
            keys += ks
    with open(a.out + ".keys", "w") as f:
        f.write("\n".join(keys) + "\n")
    with open(a.out + ".phrases", "w") as f:
        # A support question names two words of some domain, and sometimes a third of anything.
        def phrase():
            words = rnd.choice(titles).split()
            extra = f" {rnd.choice(WORDS)}" if rnd.random() < 0.3 else ""
            return f"{rnd.choice(ASKS)} {' '.join(rnd.sample(words, 2))}{extra}".replace("-", " ")
        f.write("\n".join(phrase() for _ in range(500)) + "\n")
    with open(a.out + ".org", "w") as f:
        f.write(o)
    print(f"seeded org {o}: {len(teams) * per_team} roles, {len(keys)} keys", file=sys.stderr)

if __name__ == "__main__":
    main()
