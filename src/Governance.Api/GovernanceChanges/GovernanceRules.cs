using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

/// <summary>What the rules need to know about a circle to judge changes to its roles.</summary>
/// <param name="Circle">The circle whose governance this is.</param>
/// <param name="Roles">The roles defined directly in the circle, its Circle Lead role included.</param>
/// <param name="InnerRoles">For each of those roles that is a circle, the roles defined inside it.</param>
/// <param name="DeeperRoles">Roles further down (below the sub-circles) that the changes name, e.g. in policy grants.</param>
public sealed record CircleSnapshot(
    Role Circle,
    IReadOnlyList<Role> Roles,
    IReadOnlyDictionary<Guid, IReadOnlyList<Role>> InnerRoles,
    IReadOnlySet<Guid>? DeeperRoles = null);

/// <summary>An event to append to a stream, and whether it opens that stream.</summary>
public sealed record PlannedEvent(Guid StreamId, object Event, bool StartsStream = false);

public sealed record ChangeResult(
    string Op,
    Guid? RoleId,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Guid? PolicyId = null);

/// <param name="Events">The events to append, per stream, in order.</param>
/// <param name="Results">One result per change, in the order of the changes.</param>
/// <param name="TouchedSubCircles">Sub-circles whose roles the batch changed (moves): their governance logs record it too.</param>
public sealed record GovernanceDecision(IReadOnlyList<PlannedEvent> Events, IReadOnlyList<ChangeResult> Results, IReadOnlySet<Guid>? TouchedSubCircles = null);

/// <summary>
/// Decides whether a batch of governance changes is lawful for a circle and, if so, which events
/// record it. Pure: no I/O, so every rule is tested directly. Changes apply in order to a working
/// copy of the circle, so a later change sees the earlier ones; the first refusal rejects the batch.
/// </summary>
public static class GovernanceRules
{
    public const int MaxChangesPerBatch = 100;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 2000;
    public const string CircleLeadName = "Circle Lead";
    public const string CircleLeadPurpose = "The Circle Lead holds the Purpose of the overall Circle.";

    public static (GovernanceDecision? Decision, Problem? Problem, int? ChangeIndex) Decide(
        CircleSnapshot snapshot, IReadOnlyList<GovernanceChange> changes, Func<Guid> newId)
    {
        if (!snapshot.Circle.IsCircle)
        {
            return (null, Problem.Violation("not-a-circle", "Not a circle.",
                $"Role '{snapshot.Circle.Name}' is not a circle; convert it to a circle before defining roles inside it.",
                "§1.3.1"), null);
        }
        if (changes.Count is 0 or > MaxChangesPerBatch)
        {
            return (null, Problem.BadRequest("invalid-changes",
                $"A governance output carries between 1 and {MaxChangesPerBatch} changes; this one has {changes.Count}."), null);
        }

        var batch = new Batch(snapshot, newId);
        for (var i = 0; i < changes.Count; i++)
        {
            var problem = changes[i] switch
            {
                null => Problem.BadRequest("invalid-change", "A change must be an object with an 'op'."),
                CreateRole c => batch.Create(c),
                UpdateRole c => batch.Update(c),
                AddAccountability c => batch.AddAccountability(c),
                RemoveAccountability c => batch.RemoveAccountability(c),
                AddDomain c => batch.AddDomain(c),
                RemoveDomain c => batch.RemoveDomain(c),
                ConvertToCircle c => batch.Convert(c),
                RemoveRole c => batch.Remove(c),
                MoveRole c => batch.Move(c),
                AddPolicy c => batch.AddPolicy(c),
                AmendPolicy c => batch.AmendPolicy(c),
                RemovePolicy c => batch.RemovePolicy(c),
                var other => Problem.BadRequest("unknown-op", $"Op '{other.OpName}' is not supported."),
            };
            if (problem is not null)
            {
                return (null, problem with { Detail = $"changes[{i}] ({changes[i]?.OpName}): {problem.Detail}" }, i);
            }
        }
        return (new GovernanceDecision(batch.Events, batch.Results, batch.TouchedSubCircles), null, null);
    }

    /// <summary>The working copy of the circle while a batch is judged.</summary>
    private sealed class Batch(CircleSnapshot snapshot, Func<Guid> newId)
    {
        private Role _circle = snapshot.Circle;
        private readonly Dictionary<Guid, Role> _roles = snapshot.Roles.ToDictionary(r => r.Id);
        private readonly Dictionary<Guid, List<Role>> _inner = snapshot.InnerRoles.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());

        public List<PlannedEvent> Events { get; } = [];
        public HashSet<Guid> TouchedSubCircles { get; } = [];
        public List<ChangeResult> Results { get; } = [];

        public Problem? Create(CreateRole c)
        {
            if (CheckName(c.Name) is { } bad) return bad;
            if (CheckText(c.Purpose, "purpose", required: false) is { } badPurpose) return badPurpose;

            var roleId = newId();
            Guid? leadId = c.IsCircle ? newId() : null;
            var role = new Role
            {
                Id = roleId,
                OrgId = _circle.OrgId,
                CircleId = _circle.Id,
                Name = c.Name.Trim(),
                Purpose = c.Purpose?.Trim() ?? "",
                IsCircle = c.IsCircle,
                CircleLeadRoleId = leadId,
            };
            Emit(roleId, new RoleCreated(roleId, role.OrgId, role.CircleId, role.Name, role.Purpose, c.IsCircle, false, leadId), starts: true);
            _roles[roleId] = role;
            if (leadId is { } lead)
            {
                EmitCircleLeadRole(lead, roleId);
            }
            foreach (var text in c.Accountabilities ?? [])
            {
                if (AddAccountability(new AddAccountability(roleId, text), report: false) is { } problem) return problem;
            }
            foreach (var domain in c.Domains ?? [])
            {
                if (AddDomain(new AddDomain(roleId, domain), report: false) is { } problem) return problem;
            }
            Results.Add(new ChangeResult("createRole", roleId));
            return null;
        }

        public Problem? Update(UpdateRole c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (c.Name is null && c.Purpose is null)
            {
                return Problem.BadRequest("invalid-change", "updateRole needs a 'name' or a 'purpose'.");
            }
            if (c.Name is not null && CheckName(c.Name) is { } bad) return bad;
            if (CheckText(c.Purpose, "purpose", required: false) is { } badPurpose) return badPurpose;
            if (role.ElectedRole is not null && c.Purpose is not null && c.Purpose.Trim() != role.Purpose)
            {
                return Problem.Violation("elected-role-protected", "An elected core role's purpose cannot change.",
                    $"{role.Name} is a core role defined by the constitution; add accountabilities instead.", "§1.3.5");
            }
            if (role.IsCircleLead && c.Purpose is not null && c.Purpose.Trim() != role.Purpose)
            {
                return Problem.Violation("circle-lead-role-protected", "The Circle Lead role's purpose cannot change.",
                    "The Circle Lead role holds the purpose of the overall circle; amend the circle's purpose in its super-circle instead.",
                    "§1.4.5");
            }
            if (c.Name is not null && c.Name.Trim() != role.Name)
            {
                role = role with { Name = c.Name.Trim() };
                Emit(role.Id, new RoleRenamed(role.Id, role.Name));
            }
            if (c.Purpose is not null && c.Purpose.Trim() != role.Purpose)
            {
                role = role with { Purpose = c.Purpose.Trim() };
                Emit(role.Id, new RolePurposeChanged(role.Id, role.Purpose));
            }
            _roles[role.Id] = role;
            Results.Add(new ChangeResult("updateRole", role.Id));
            return null;
        }

        public Problem? AddAccountability(AddAccountability c, bool report = true)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (CheckText(c.Text, "accountability", required: true) is { } bad) return bad;
            var text = c.Text.Trim();
            if (role.Accountabilities.Contains(text))
            {
                return Problem.Violation("duplicate-accountability", "The role already has this accountability.",
                    $"Role '{role.Name}' already has the accountability '{text}'.");
            }
            _roles[role.Id] = role with { Accountabilities = [.. role.Accountabilities, text] };
            Emit(role.Id, new AccountabilityAdded(role.Id, text));
            if (report) Results.Add(new ChangeResult("addAccountability", role.Id));
            return null;
        }

        public Problem? RemoveAccountability(RemoveAccountability c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            var text = c.Text?.Trim() ?? "";
            if (!role.Accountabilities.Contains(text))
            {
                return Problem.Violation("unknown-accountability", "The role has no such accountability.",
                    $"Role '{role.Name}' has no accountability '{text}'.");
            }
            _roles[role.Id] = role with { Accountabilities = [.. role.Accountabilities.Where(a => a != text)] };
            Emit(role.Id, new AccountabilityRemoved(role.Id, text));
            Results.Add(new ChangeResult("removeAccountability", role.Id));
            return null;
        }

        public Problem? AddDomain(AddDomain c, bool report = true)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (c.Domain is null) return Problem.BadRequest("invalid-change", "addDomain needs a 'domain'.");
            var (key, title) = (c.Domain.Key, c.Domain.Title?.Trim() ?? "");
            if (!DomainKey.IsValid(key))
            {
                return Problem.BadRequest("invalid-domain-key",
                    $"Domain key '{key}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/', at most {DomainKey.MaxLength} characters.");
            }
            if (title.Length is 0 or > MaxNameLength)
            {
                return Problem.BadRequest("invalid-domain-title", $"Domain '{key}' needs a title of 1 to {MaxNameLength} characters.");
            }
            var keywords = (c.Domain.Keywords ?? []).Select(k => k?.Trim() ?? "").ToList();
            if (keywords.Count > 20 || keywords.Any(k => k.Length is 0 or > 100))
            {
                return Problem.BadRequest("invalid-domain-keywords", $"Domain '{key}' takes at most 20 keywords of 1 to 100 characters.");
            }
            // §1.3.2: a circle grants its roles only what lies within its own domains. The Anchor
            // Circle holds every domain the organisation controls (§1.3.3), so it may grant any key.
            if (!_circle.IsAnchorCircle && !_circle.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
            {
                var held = _circle.Domains.Count == 0 ? "no domains" : string.Join(", ", _circle.Domains.Select(d => d.Key));
                return Problem.Violation("domain-outside-circle", "The domain is not the circle's to grant.",
                    $"Circle '{_circle.Name}' holds {held}; '{key}' is not within them. Have the super-circle grant it to the circle first.",
                    "§1.3.2");
            }
            // §1.1(b): a domain is controlled exclusively, so within a circle no two roles may hold
            // the same or overlapping keys; "who decides" then follows one line of delegation.
            foreach (var other in _roles.Values)
            {
                if (other.Domains.FirstOrDefault(d => DomainKey.Overlaps(d.Key, key)) is { } clash)
                {
                    var how = clash.Key == key ? "already holds it" : $"holds the overlapping domain '{clash.Key}'";
                    return Problem.Violation("domain-already-held", "The domain is already held in this circle.",
                        $"Role '{other.Name}' {how}; remove it there first or choose a key that does not overlap.",
                        "§1.1(b)");
                }
            }
            _roles[role.Id] = role with { Domains = [.. role.Domains, new HeldDomain(key, title, keywords)] };
            Emit(role.Id, new DomainDelegated(role.Id, role.OrgId, role.CircleId, key, title, keywords));
            if (report) Results.Add(new ChangeResult("addDomain", role.Id));
            return null;
        }

        public Problem? RemoveDomain(RemoveDomain c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (!role.HoldsDomain(c.Key ?? ""))
            {
                return Problem.Violation("unknown-domain", "The role does not hold this domain.",
                    $"Role '{role.Name}' does not hold the domain '{c.Key}'.");
            }
            // §1.3.2: the roles inside a circle hold only parts of the circle's domains; taking the
            // domain away first needs those parts taken back, or they would be left without a source.
            var parts = InnerRolesOf(role.Id).SelectMany(r => r.Domains.Where(d => DomainKey.IsWithin(d.Key, c.Key!)).Select(d => (r, d))).ToList();
            if (parts.Count > 0)
            {
                var list = string.Join(", ", parts.Select(p => $"'{p.d.Key}' ({p.r.Name})"));
                return Problem.Violation("domain-delegated-inside", "Parts of this domain are delegated inside the circle.",
                    $"Circle '{role.Name}' has delegated {list}; its own governance must remove those first.",
                    "§1.3.2");
            }
            _roles[role.Id] = role with { Domains = [.. role.Domains.Where(d => d.Key != c.Key)] };
            Emit(role.Id, new DomainRevoked(role.Id, c.Key!));
            Results.Add(new ChangeResult("removeDomain", role.Id));
            return null;
        }

        public Problem? Convert(ConvertToCircle c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (role.IsCircle)
            {
                return Problem.Violation("already-a-circle", "The role is a circle already.", $"Role '{role.Name}' is already a circle.", "§1.3.1");
            }
            if (role.IsCircleLead || role.ElectedRole is not null)
            {
                return Problem.Violation("circle-lead-role-protected", "A core role cannot become a circle.",
                    $"'{role.Name}' is a core role of the circle.", role.IsCircleLead ? "§1.4.5" : "§1.3.5");
            }
            var leadId = newId();
            _roles[role.Id] = role with { IsCircle = true, CircleLeadRoleId = leadId };
            Emit(role.Id, new RoleConvertedToCircle(role.Id, leadId));
            EmitCircleLeadRole(leadId, role.Id);
            Results.Add(new ChangeResult("convertToCircle", role.Id));
            return null;
        }

        public Problem? Remove(RemoveRole c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (CoreRoleProblem(role, "removed") is { } core) return core;
            if (c.InnerRoles is not (null or "remove" or "moveUp"))
            {
                return Problem.BadRequest("invalid-inner-roles", "innerRoles is \"remove\" or \"moveUp\".");
            }
            var inner = InnerRolesOf(role.Id).Where(r => !IsCore(r)).ToList();
            if (inner.Count > 0 && c.InnerRoles is null)
            {
                return Problem.Violation("circle-not-empty", "The circle still has roles.",
                    $"Circle '{role.Name}' still defines {string.Join(", ", inner.Select(r => $"'{r.Name}'"))}; say innerRoles \"remove\" or \"moveUp\", or move them first, so no role is orphaned.");
            }
            // The circle goes first, so its domains no longer stand in the way of roles moving up.
            _roles.Remove(role.Id);
            foreach (var child in inner)
            {
                var problem = c.InnerRoles == "moveUp" ? MoveUp(child, role.Id) : RemoveInner(child);
                if (problem is not null) return problem;
            }
            foreach (var coreRole in InnerRolesOf(role.Id).Where(IsCore))
            {
                EmitRemoval(coreRole);
            }
            EmitRemoval(role);
            _inner.Remove(role.Id);
            Results.Add(new ChangeResult("removeRole", role.Id));
            return null;
        }

        public Problem? Move(MoveRole c)
        {
            if (c.ToCircleId == _circle.Id)
            {
                var from = _inner.FirstOrDefault(kv => kv.Value.Any(r => r.Id == c.RoleId)).Key;
                if (from == Guid.Empty)
                {
                    return Problem.NotFound("role-not-found", $"No sub-circle of '{_circle.Name}' has a role {c.RoleId} to move up.");
                }
                var role = _inner[from].First(r => r.Id == c.RoleId);
                if (CoreRoleProblem(role, "moved") is { } core) return core;
                if (MoveUp(role, from) is { } problem) return problem;
            }
            else
            {
                if (Find(c.RoleId, out var role) is { } missing) return missing;
                if (CoreRoleProblem(role, "moved") is { } core) return core;
                if (!_roles.TryGetValue(c.ToCircleId, out var target) || !target.IsCircle || target.Id == role.Id)
                {
                    return Problem.Violation("move-outside-circle", "A circle moves roles only between itself and its sub-circles.",
                        $"{c.ToCircleId} is not a sub-circle of '{_circle.Name}'.", "§5.2");
                }
                var siblings = _inner.GetValueOrDefault(target.Id) ?? [];
                foreach (var d in role.Domains)
                {
                    if (!target.Domains.Any(t => DomainKey.IsWithin(d.Key, t.Key)))
                    {
                        return Problem.Violation("domain-outside-circle", "The domain is not the target circle's to hold.",
                            $"'{role.Name}' holds '{d.Key}', which '{target.Name}' does not hold; remove the domain first or grant it to the circle.", "§1.3.2");
                    }
                    if (siblings.FirstOrDefault(r => r.Domains.Any(o => DomainKey.Overlaps(o.Key, d.Key))) is { } clash)
                    {
                        return Problem.Violation("domain-already-held", "The domain is already held in the target circle.",
                            $"Role '{clash.Name}' in '{target.Name}' holds a domain overlapping '{d.Key}'.", "§1.1(b)");
                    }
                }
                _roles.Remove(role.Id);
                _inner[target.Id] = [.. siblings, role with { CircleId = target.Id }];
                Emit(role.Id, new RoleMoved(role.Id, role.OrgId, _circle.Id, target.Id, role.Domains));
                TouchedSubCircles.Add(target.Id);
            }
            Results.Add(new ChangeResult("moveRole", c.RoleId));
            return null;
        }

        /// <summary>Brings a role of a sub-circle into this circle, its domains checked here.</summary>
        private Problem? MoveUp(Role role, Guid from)
        {
            foreach (var d in role.Domains)
            {
                if (!_circle.IsAnchorCircle && !_circle.Domains.Any(t => DomainKey.IsWithin(d.Key, t.Key)))
                {
                    return Problem.Violation("domain-outside-circle", "The domain is not the circle's to hold.",
                        $"'{role.Name}' holds '{d.Key}', which '{_circle.Name}' does not hold.", "§1.3.2");
                }
                if (_roles.Values.FirstOrDefault(r => r.Domains.Any(o => DomainKey.Overlaps(o.Key, d.Key))) is { } clash)
                {
                    return Problem.Violation("domain-already-held", "The domain is already held in this circle.",
                        $"Role '{clash.Name}' holds a domain overlapping '{d.Key}' of '{role.Name}'; remove one of them first.", "§1.1(b)");
                }
            }
            _inner[from].RemoveAll(r => r.Id == role.Id);
            _roles[role.Id] = role with { CircleId = _circle.Id };
            Emit(role.Id, new RoleMoved(role.Id, role.OrgId, from, _circle.Id, role.Domains));
            if (_inner.ContainsKey(from)) TouchedSubCircles.Add(from);
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
            if (role.CircleLeadRoleId is { } lead && !InnerRolesOf(role.Id).Any(r => r.Id == lead))
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
                $"{role.Name} is a core role of every circle, filled by election.", "§1.3.5"),
            _ => null,
        };

        public Problem? AddPolicy(AddPolicy c)
        {
            if (CheckPolicy(c.Policy) is { } bad) return bad;
            var (policy, grants) = (c.Policy, Grants(c.Policy));
            var id = newId();
            _circle = _circle with { Policies = [.. _circle.Policies, new Policy(id, policy.Title.Trim(), policy.Text.Trim(), policy.DomainKey, grants)] };
            Emit(_circle.Id, new PolicyAdopted(id, _circle.Id, _circle.OrgId, policy.Title.Trim(), policy.Text.Trim(), policy.DomainKey, grants));
            Results.Add(new ChangeResult("addPolicy", null, id));
            return null;
        }

        public Problem? AmendPolicy(AmendPolicy c)
        {
            if (FindPolicy(c.PolicyId) is { } missing) return missing;
            if (CheckPolicy(c.Policy) is { } bad) return bad;
            var (policy, grants) = (c.Policy, Grants(c.Policy));
            var amended = new Policy(c.PolicyId, policy.Title.Trim(), policy.Text.Trim(), policy.DomainKey, grants);
            _circle = _circle with { Policies = [.. _circle.Policies.Select(p => p.Id == c.PolicyId ? amended : p)] };
            Emit(_circle.Id, new PolicyAmended(c.PolicyId, _circle.Id, amended.Title, amended.Text, amended.DomainKey, grants));
            Results.Add(new ChangeResult("amendPolicy", null, c.PolicyId));
            return null;
        }

        public Problem? RemovePolicy(RemovePolicy c)
        {
            if (FindPolicy(c.PolicyId) is { } missing) return missing;
            _circle = _circle with { Policies = [.. _circle.Policies.Where(p => p.Id != c.PolicyId)] };
            Emit(_circle.Id, new PolicyRemoved(c.PolicyId, _circle.Id));
            Results.Add(new ChangeResult("removePolicy", null, c.PolicyId));
            return null;
        }

        private Problem? FindPolicy(Guid policyId) =>
            _circle.Policies.Any(p => p.Id == policyId)
                ? null
                : Problem.NotFound("policy-not-found", $"Circle '{_circle.Name}' has no policy {policyId}.");

        private static IReadOnlyList<PolicyGrant> Grants(PolicyInput policy) =>
            [.. (policy.Grants ?? []).Select(g => new PolicyGrant(g.RoleId, g.MaxAmount, g.Currency?.Trim().ToUpperInvariant()))];

        private Problem? CheckPolicy(PolicyInput? policy)
        {
            if (policy is null) return Problem.BadRequest("invalid-change", "The change needs a 'policy'.");
            if (string.IsNullOrWhiteSpace(policy.Title) || policy.Title.Trim().Length > MaxNameLength)
            {
                return Problem.BadRequest("invalid-policy-title", $"A policy needs a title of 1 to {MaxNameLength} characters.");
            }
            if (CheckText(policy.Text, "policy-text", required: true) is { } badText) return badText;
            if (policy.DomainKey is { } key)
            {
                if (!DomainKey.IsValid(key))
                {
                    return Problem.BadRequest("invalid-domain-key", $"Domain key '{key}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'.");
                }
                // §1.3.2: a circle regulates only what lies within its own domains.
                if (!_circle.IsAnchorCircle && !_circle.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
                {
                    return Problem.Violation("policy-domain-outside-circle", "The policy's domain is not the circle's.",
                        $"Circle '{_circle.Name}' does not hold '{key}', so its policies cannot regulate it.", "§1.3.2");
                }
            }
            var grants = policy.Grants ?? [];
            if (grants.Count > 20) return Problem.BadRequest("invalid-grants", "A policy takes at most 20 grants.");
            foreach (var grant in grants)
            {
                if (grant is null) return Problem.BadRequest("invalid-grants", "A grant must be an object with a 'roleId'.");
                if (!IsWithinCircle(grant.RoleId))
                {
                    return Problem.Violation("grant-outside-circle", "A policy can only grant to roles within the circle.",
                        $"Role {grant.RoleId} is neither a role of '{_circle.Name}' nor inside one of its sub-circles.", "§5.2");
                }
                if (grant.MaxAmount is { } max && (max < 0 || string.IsNullOrWhiteSpace(grant.Currency)))
                {
                    return Problem.BadRequest("invalid-grant-limit", "A grant's maxAmount must be zero or more and comes with a currency.");
                }
                if (Problem.InvalidCurrency(grant.Currency) is { } badCurrency) return badCurrency;
            }
            return null;
        }

        private bool IsWithinCircle(Guid roleId) =>
            _roles.ContainsKey(roleId)
            || _inner.Values.Any(inner => inner.Any(r => r.Id == roleId))
            || (snapshot.DeeperRoles?.Contains(roleId) ?? false);

        private IReadOnlyList<Role> InnerRolesOf(Guid roleId) =>
            _inner.TryGetValue(roleId, out var inner) ? inner : [];

        private Problem? Find(Guid roleId, out Role role)
        {
            if (_roles.TryGetValue(roleId, out role!)) return null;
            return Problem.NotFound("role-not-found",
                $"Circle '{_circle.Name}' has no role {roleId}; a circle's governance changes only the roles defined in it.");
        }

        private void Emit(Guid streamId, object e, bool starts = false) => Events.Add(new PlannedEvent(streamId, e, starts));

        private void EmitCircleLeadRole(Guid leadId, Guid circleId)
        {
            // §1.4: every circle has a Circle Lead role; whoever fills the circle's role in the
            // super-circle fills it, so it is never assigned directly.
            Emit(leadId, new RoleCreated(leadId, _circle.OrgId, circleId, CircleLeadName, CircleLeadPurpose, false, true, null), starts: true);
        }

        private static Problem? CheckName(string? name) =>
            string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength
                ? Problem.BadRequest("invalid-name", $"A role needs a name of 1 to {MaxNameLength} characters.")
                : null;

        private static Problem? CheckText(string? text, string what, bool required) =>
            (required && string.IsNullOrWhiteSpace(text)) || (text?.Trim().Length ?? 0) > MaxTextLength
                ? Problem.BadRequest($"invalid-{what}", $"The {what} must be {(required ? "1" : "0")} to {MaxTextLength} characters.")
                : null;
    }
}
