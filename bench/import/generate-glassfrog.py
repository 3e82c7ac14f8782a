#!/usr/bin/env python3
"""Writes a real-looking GlassFrog API v3 document to stdout: CIRCLES circles under the Anchor Circle, ROLES roles
each (a purpose, two accountabilities, a domain, a filler with a focus), a policy, a Lead Link and a Facilitator per
circle; and, given MAP, the mapping file that puts each role's domain inside its circle's domain (section 1.3.2).
Usage: generate-glassfrog.py [CIRCLES] [ROLES] [MAP] > org.json"""
import json, sys

circles_n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
roles_n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
NAME = "Northwind Cycles"
circles, roles, people, assignments, policies, domains, keys = [], [], [], [], [], [], {}
anchor = 1
circles.append({"id": anchor, "name": NAME, "links": {"supported_role": 2}})
roles.append({"id": 2, "name": NAME, "purpose": "Cycling for everyone", "links": {"circle": None, "supporting_circle": anchor}})
next_id = 100
def nid():
    global next_id
    next_id += 1
    return next_id
for c in range(circles_n):
    circle_id, role_id, domain_id, lead = nid(), nid(), nid(), nid()
    name = f"Team {c + 1:02d}"
    circles.append({"id": circle_id, "name": name, "links": {"supported_role": role_id, "policies": []}})
    domains.append({"id": domain_id, "description": f"{name} operations"})
    roles.append({"id": role_id, "name": name, "purpose": f"{name} delivers", "links": {"circle": anchor, "supporting_circle": circle_id, "domains": [domain_id], "accountabilities": [], "people": []}})
    people.append({"id": lead, "name": f"Lead {c + 1:02d}", "email": f"lead{c + 1:02d}@northwind.example"})
    roles.append({"id": nid(), "name": "Lead Link", "role_type": "lead_link", "links": {"circle": circle_id, "people": [lead]}})
    first = None
    for r in range(roles_n):
        rid, person, d = nid(), nid(), nid()
        first = first or person
        area = f"Area {r + 1} of {name}"
        people.append({"id": person, "name": f"Member {c + 1:02d}-{r + 1:02d}", "email": f"m{c + 1:02d}{r + 1:02d}@northwind.example"})
        domains.append({"id": d, "description": area})
        keys[f"{NAME}/{name}: {area}"] = f"team-{c + 1:02d}-operations/area-{r + 1}"
        roles.append({"id": rid, "name": f"Role {r + 1:02d} of {name}", "purpose": f"Purpose {r + 1} of {name}",
                      "links": {"circle": circle_id, "domains": [d], "people": [person],
                                "accountabilities": [f"Doing task A{r}", f"Doing task B{r}"]}})
        assignments.append({"id": nid(), "focus": f"Region {r % 4 + 1}", "links": {"role": rid, "person": person}})
    roles.append({"id": nid(), "name": "Facilitator", "role_type": "facilitator", "elected_until": "2031-01-01", "links": {"circle": circle_id, "people": [first]}})
    policies.append({"id": nid(), "title": f"{name} spending", "body": f"Roles of {name} spend up to 100 EUR without asking.", "links": {"circle": circle_id}})
json.dump({"circles": circles, "roles": roles, "assignments": assignments, "policies": policies,
           "linked": {"people": people, "domains": domains}}, sys.stdout, indent=1)
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as f:
        json.dump(keys, f, indent=1)
