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
            if (c.InnerRoles is not (null or "remove" or "moveUp"))
            {
                return Problem.BadRequest("invalid-inner-roles", "innerRoles is \"remove\" or \"moveUp\".");
            }
            var inner = RolesIn(role.Id).Where(r => !IsCore(r)).ToList();
            if (inner.Count > 0 && c.InnerRoles is null)
            {
                return Problem.Violation("circle-not-empty", "The circle still has roles.",
                    $"Circle '{role.Name}' still defines {string.Join(", ", inner.Select(r => $"'{r.Name}'"))}; say innerRoles \"remove\" or \"moveUp\", or move them first, so no role is orphaned.");
            }
            var coreRoles = RolesIn(role.Id).Where(IsCore).ToList();
            // The circle goes first, so its domains no longer stand in the way of roles moving up.
            EmitRemoval(role);
            foreach (var child in inner)
            {
                var problem = c.InnerRoles == "moveUp" ? MoveUp(child) : RemoveInner(child);
                if (problem is not null) return problem;
            }
            foreach (var coreRole in coreRoles) EmitRemoval(coreRole);
            Results.Add(new ChangeResult("removeRole", role.Id));
            return null;
        }

        public Problem? Move(MoveRole c)
        {
            if (c.ToCircleId == CircleId)
            {
                if (!_roles.TryGetValue(c.RoleId, out var role) || !IsSubCircle(role.CircleId))
                {
                    return Problem.NotFound("role-not-found", $"No sub-circle of '{Circle.Name}' has a role {c.RoleId} to move up.");
                }
                if (CoreRoleProblem(role, "moved") is { } core) return core;
                if (MoveUp(role) is { } problem) return problem;
            }
            else
            {
                if (Find(c.RoleId, out var role) is { } missing) return missing;
                if (CoreRoleProblem(role, "moved") is { } core) return core;
                if (!_roles.TryGetValue(c.ToCircleId, out var target) || !IsSubCircle(target.Id) || target.Id == role.Id)
                {
                    return Problem.Violation("move-outside-circle", "A circle moves roles only between itself and its sub-circles.",
                        $"{c.ToCircleId} is not a sub-circle of '{Circle.Name}'.", "§5.2");
                }
                foreach (var d in role.Domains)
                {
                    if (!target.Domains.Any(t => DomainKey.IsWithin(d.Key, t.Key)))
                    {
                        return Problem.Violation("domain-outside-circle", "The domain is not the target circle's to hold.",
                            $"'{role.Name}' holds '{d.Key}', which '{target.Name}' does not hold; remove the domain first or grant it to the circle.", "§1.3.2");
                    }
                    if (RolesIn(target.Id).FirstOrDefault(r => r.Domains.Any(o => DomainKey.Overlaps(o.Key, d.Key))) is { } clash)
                    {
                        return Problem.Violation("domain-already-held", "The domain is already held in the target circle.",
                            $"Role '{clash.Name}' in '{target.Name}' holds a domain overlapping '{d.Key}'.", "§1.1(b)");
                    }
                }
                Emit(role.Id, new RoleMoved(role.Id, role.OrgId, CircleId, target.Id, role.Domains));
                TouchedSubCircles.Add(target.Id);
            }
            Results.Add(new ChangeResult("moveRole", c.RoleId));
            return null;
        }

        /// <summary>A circle defined directly in this circle.</summary>
        private bool IsSubCircle(Guid? circleId) =>
            circleId is { } id && _roles.TryGetValue(id, out var circle) && circle.CircleId == CircleId && circle.IsCircle;

        /// <summary>Brings a role of a sub-circle into this circle, its domains checked here.</summary>
        private Problem? MoveUp(Role role)
        {
            foreach (var d in role.Domains)
            {
                if (!Circle.IsAnchorCircle && !Circle.Domains.Any(t => DomainKey.IsWithin(d.Key, t.Key)))
                {
                    return Problem.Violation("domain-outside-circle", "The domain is not the circle's to hold.",
                        $"'{role.Name}' holds '{d.Key}', which '{Circle.Name}' does not hold.", "§1.3.2");
                }
                if (RolesIn(CircleId).FirstOrDefault(r => r.Domains.Any(o => DomainKey.Overlaps(o.Key, d.Key))) is { } clash)
                {
                    return Problem.Violation("domain-already-held", "The domain is already held in this circle.",
                        $"Role '{clash.Name}' holds a domain overlapping '{d.Key}' of '{role.Name}'; remove one of them first.", "§1.1(b)");
                }
            }
            var from = role.CircleId!.Value;
            Emit(role.Id, new RoleMoved(role.Id, role.OrgId, from, CircleId, role.Domains));
            TouchedSubCircles.Add(from);
            return null;
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
