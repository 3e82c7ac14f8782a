using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

public static partial class GovernanceRules
{
    /// <summary>The circle's structure: removing roles and moving them between the circle and its sub-circles (§5.2).</summary>
    private sealed partial class Batch
    {
        public Problem? Remove(RemoveRole c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (CoreRoleProblem(role, "removed") is { } core) return core;
            if (InnerRolesProblem(role, c.InnerRoles, out var inner) is { } unsaid) return unsaid;
            var coreRoles = RolesIn(role.Id).Where(IsCore).ToList();
            // The circle goes first, so its domains no longer stand in the way of roles moving up.
            EmitRemoval(role);
            foreach (var child in inner)
            {
                var problem = c.InnerRoles == "moveUp" ? MoveInto(child, Circle) : RemoveInner(child);
                if (problem is not null) return problem;
            }
            foreach (var coreRole in coreRoles) EmitRemoval(coreRole);
            Results.Add(new ChangeResult("removeRole", role.Id));
            return null;
        }

        /// <summary>
        /// Turns a circle of this circle back into a role (§1.3.1). Its inner roles are removed or
        /// moved up as the change says; its core roles, policies and rulings end by their own events.
        /// </summary>
        public Problem? ConvertBack(ConvertToRole c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (!role.IsCircle)
            {
                return Problem.Violation("not-a-circle", "The role is not a circle.", $"Role '{role.Name}' is a role already.", "§1.3.1");
            }
            if (InnerRolesProblem(role, c.InnerRoles, out var inner) is { } unsaid) return unsaid;
            foreach (var coreRole in RolesIn(role.Id).Where(IsCore).ToList()) EmitRemoval(coreRole);
            foreach (var policy in role.Policies) Emit(role.Id, new PolicyRemoved(policy.Id, role.Id));
            foreach (var ruling in role.Rulings) Emit(role.Id, new InterpretationRulingWithdrawn(ruling.Id, role.Id, "The circle became a role again."));
            Emit(role.Id, new CircleConvertedToRole(role.Id));
            foreach (var child in inner)
            {
                var problem = c.InnerRoles == "moveUp" ? MoveInto(child, Circle) : RemoveInner(child);
                if (problem is not null) return problem;
            }
            TouchedSubCircles.Add(role.Id);
            Results.Add(new ChangeResult("convertToRole", role.Id));
            return null;
        }

        /// <summary>
        /// Moves a role of this circle or of any circle inside it to this circle or another circle
        /// inside it (§5.2: the circle's governance reaches every role within it), with the policies
        /// of the circle it leaves that the change names.
        /// </summary>
        public Problem? Move(MoveRole c)
        {
            if (!_roles.TryGetValue(c.RoleId, out var role) || !IsWithin(role.Id, CircleId))
            {
                return Problem.NotFound("role-not-found", $"Neither '{Circle.Name}' nor a circle inside it has a role {c.RoleId}.");
            }
            if (CoreRoleProblem(role, "moved") is { } core) return core;
            if (!_roles.TryGetValue(c.ToCircleId, out var target) || !target.IsCircle
                || (target.Id != CircleId && !IsWithin(target.Id, CircleId)) || target.Id == role.Id || IsWithin(target.Id, role.Id))
            {
                return Problem.Violation("move-outside-circle", "A circle moves roles only within itself.",
                    $"{c.ToCircleId} is neither '{Circle.Name}' nor a circle inside it (outside the role being moved).", "§5.2");
            }
            var from = _roles[role.CircleId!.Value];
            if (from.Id == target.Id)
            {
                return Problem.Violation("move-to-same-circle", "The role is in that circle already.", $"'{role.Name}' is a role of '{target.Name}' already.", "§5.2");
            }
            var policies = new List<Policy>();
            foreach (var policyId in c.Policies ?? [])
            {
                if (from.Policies.FirstOrDefault(p => p.Id == policyId) is not { } policy)
                {
                    return Problem.NotFound("policy-not-found", $"Circle '{from.Name}', which '{role.Name}' leaves, has no policy {policyId}; only its policies move with the role.");
                }
                if (!policies.Contains(policy)) policies.Add(policy);
            }
            if (MoveInto(role, target) is { } problem) return problem;
            foreach (var policy in policies)
            {
                Emit(from.Id, new PolicyRemoved(policy.Id, from.Id, MovedTo: target.Id));
                Emit(target.Id, new PolicyAdopted(policy.Id, target.Id, role.OrgId, policy.Title, policy.Text, policy.DomainKey, policy.Grants, policy.MinimumResponseHours, MovedFrom: from.Id));
                if (MovedPolicyProblem(policy, _roles[target.Id]) is { } unlawful) return unlawful;
            }
            if (GrantLeftBehind(role, from.Id, target.Id) is { } dangling) return dangling;
            Results.Add(new ChangeResult("moveRole", c.RoleId));
            return null;
        }

        /// <summary>True when the role lies inside <paramref name="circleId"/>, at any depth (in this batch's view).</summary>
        private bool IsWithin(Guid roleId, Guid circleId)
        {
            for (var depth = 0; depth < 64 && _roles.TryGetValue(roleId, out var role) && role.CircleId is { } parent; depth++)
            {
                if (parent == circleId) return true;
                roleId = parent;
            }
            return false;
        }

        /// <summary>Moves a role into a circle, its domains checked there (§1.3.2, §1.1(b)); both circles' logs record it.</summary>
        private Problem? MoveInto(Role role, Role target)
        {
            foreach (var d in role.Domains)
            {
                if (!target.IsAnchorCircle && !target.Domains.Any(t => DomainKey.IsWithin(d.Key, t.Key)))
                {
                    return Problem.Violation("domain-outside-circle", "The domain is not the target circle's to hold.",
                        $"'{role.Name}' holds '{d.Key}', which '{target.Name}' does not hold; remove the domain first or grant it to the circle.", "§1.3.2");
                }
                if (RolesIn(target.Id).FirstOrDefault(r => r.Id != role.Id && r.Domains.Any(o => DomainKey.Overlaps(o.Key, d.Key))) is { } clash)
                {
                    return Problem.Violation("domain-already-held", "The domain is already held in the target circle.",
                        $"Role '{clash.Name}' in '{target.Name}' holds a domain overlapping '{d.Key}' of '{role.Name}'; remove one of them first.", "§1.1(b)");
                }
            }
            var from = role.CircleId!.Value;
            Emit(role.Id, new RoleMoved(role.Id, role.OrgId, from, target.Id, role.Domains));
            foreach (var touched in new[] { from, target.Id }.Where(id => id != CircleId)) TouchedSubCircles.Add(touched);
            return null;
        }

        /// <summary>A policy moved into a circle regulates only its domains and grants only within it (§1.3.2, §5.2).</summary>
        private Problem? MovedPolicyProblem(Policy policy, Role target)
        {
            if (policy.DomainKey is { } key && !target.IsAnchorCircle && !target.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
            {
                return Problem.Violation("policy-domain-outside-circle", "The policy's domain is not the target circle's.",
                    $"Policy '{policy.Title}' regulates '{key}', which '{target.Name}' does not hold.", "§1.3.2");
            }
            if (policy.Grants.FirstOrDefault(g => !(target.Id == CircleId ? IsWithinCircle(g.RoleId) : IsWithin(g.RoleId, target.Id))) is { } grant)
            {
                return Problem.Violation("grant-outside-circle", "A policy can only grant to roles within the circle.",
                    $"Policy '{policy.Title}' grants to role {grant.RoleId}, which is not within '{target.Name}'.", "§5.2");
            }
            return null;
        }

        /// <summary>
        /// A role leaving a circle leaves the grants of that circle's policies (and of every circle
        /// it leaves on the way up) to it or to roles inside it without ground (§5.2): refused
        /// unless those policies move with it, or are amended first.
        /// </summary>
        private Problem? GrantLeftBehind(Role role, Guid from, Guid target)
        {
            for (var circleId = from; circleId != target && !IsWithin(target, circleId) && _roles.TryGetValue(circleId, out var left); circleId = left.CircleId!.Value)
            {
                foreach (var policy in left.Policies)
                {
                    if (policy.Grants.FirstOrDefault(g => g.RoleId == role.Id || IsWithin(g.RoleId, role.Id)) is { } grant)
                    {
                        return Problem.Violation("grant-outside-circle", "The move would leave a policy granting outside its circle.",
                            $"Policy '{policy.Title}' of '{left.Name}' grants to {(grant.RoleId == role.Id ? $"'{role.Name}'" : $"a role inside '{role.Name}'")}, which leaves '{left.Name}'; move the policy with it (\"policies\") or amend it first.", "§5.2");
                    }
                }
                if (left.IsAnchorCircle) break;
            }
            return null;
        }

        /// <summary>A circle's own roles (not its core roles), and the problem when the change does not say what happens to them.</summary>
        private Problem? InnerRolesProblem(Role circle, string? innerRoles, out List<Role> inner)
        {
            inner = [.. RolesIn(circle.Id).Where(r => !IsCore(r))];
            if (innerRoles is not (null or "remove" or "moveUp"))
            {
                return Problem.BadRequest("invalid-inner-roles", "innerRoles is \"remove\" or \"moveUp\".");
            }
            return inner.Count > 0 && innerRoles is null
                ? Problem.Violation("circle-not-empty", "The circle still has roles.",
                    $"Circle '{circle.Name}' still defines {string.Join(", ", inner.Select(r => $"'{r.Name}'"))}; say innerRoles \"remove\" or \"moveUp\", or move them first, so no role is orphaned.")
                : null;
        }

        private Problem? RemoveInner(Role role)
        {
            if (role.IsCircle)
            {
                return Problem.Violation("circle-not-empty", "A circle inside still has its own structure.",
                    $"'{role.Name}' is itself a circle; move it up or remove it in its own right first.");
            }
            EmitRemoval(role);
            return null;
        }

        private void EmitRemoval(Role role)
        {
            foreach (var filler in role.Fillers)
            {
                Emit(role.Id, new PersonUnassignedFromRole(role.Id, filler.PersonId));
            }
            Emit(role.Id, new RoleRemoved(role.Id));
            if (role.CircleLeadRoleId is { } lead && !RolesIn(role.Id).Any(r => r.Id == lead))
            {
                Emit(lead, new RoleRemoved(lead));
            }
        }

        private static bool IsCore(Role role) => role.IsCircleLead || role.ElectedRole is not null;

        private static Problem? CoreRoleProblem(Role role, string what) => role switch
        {
            { IsCircleLead: true } => Problem.Violation("circle-lead-role-protected", $"The Circle Lead role cannot be {what}.",
                "A circle always has its Circle Lead role.", "§1.4.5"),
            { ElectedRole: not null } => Problem.Violation("elected-role-protected", $"An elected core role cannot be {what}.",
                $"{role.Name} is a core role of every circle, filled by election.", ElectedRoles.Section(role.ElectedRole)),
            _ => null,
        };
    }
}
