using Governance.GovernanceChanges;
using Governance.Roles;

namespace Governance.Import;

/// <summary>A governance change an import plans, what it is about (for the report) and what it counts as once applied.</summary>
public sealed record PlannedChange(GovernanceChange Change, string Item, string Kind, string? Updates = null);

/// <summary>
/// The governance changes that make one circle what the source says, against the circle as it is:
/// new roles (with their external id), what differs on roles found by their external id, and the
/// policies by title. Pure. Domains follow §1.3.2 (within the circle's own domains, the Anchor
/// Circle holding all) and §1.1(b) (one holder per key in a circle); what would break them is
/// skipped with the reason, as are texts too long for a role. Nothing is removed that the source
/// does not name: roles defined here, or imported and since gone from the source, stay.
/// </summary>
public static class CirclePlanning
{
    public static List<PlannedChange> Plan(SourceCircle source, IReadOnlyList<string> path, Role circle, IReadOnlyList<Role> roles,
        IReadOnlyDictionary<string, string> map, ImportTally tally)
    {
        var planned = new List<PlannedChange>();
        // What roles give up goes first: a domain (or accountability) that moved to a role listed before
        // its old holder is free by the time the new holder takes it (§1.1(b)), whatever the source's order.
        var removals = new List<PlannedChange>();
        var where = string.Join("/", path);
        var named = source.Roles.Select(s => s.ExternalId).ToHashSet();
        var byExternalId = roles.Where(r => r.ExternalId is not null).GroupBy(r => r.ExternalId!).ToDictionary(g => g.Key, g => g.First());
        // Keys held in the circle by roles the source does not name: its own roles keep them.
        var held = new HeldKeys(roles.Where(r => r.ExternalId is null || !named.Contains(r.ExternalId)).SelectMany(r => r.Domains.Select(d => d.Key)));
        var own = new HeldKeys(circle.Domains.Select(d => d.Key));
        foreach (var role in source.Roles)
        {
            var item = $"role '{role.Name}' in '{where}'";
            if (role.Name.Length is 0 or > GovernanceRules.MaxNameLength)
            {
                tally.Skip(item, $"a role needs a name of 1 to {GovernanceRules.MaxNameLength} characters");
                continue;
            }
            var purpose = role.Purpose;
            var purposeSkipped = purpose?.Length > GovernanceRules.MaxTextLength;
            if (purposeSkipped)
            {
                tally.Skip($"purpose of {item}", $"longer than {GovernanceRules.MaxTextLength} characters");
                purpose = null;
            }
            var accountabilities = role.Accountabilities.Distinct().Where(a => Fits(a, $"accountability '{Cut(a)}' of {item}", tally)).ToList();
            var domains = new List<DomainInput>();
            foreach (var text in role.Domains.Distinct())
            {
                if (Domain(path, circle, own, text, map, held, item, tally) is not { } domain) continue;
                domains.Add(domain);
                held.Add(domain.Key);
            }

            var kind = role.Circle is null ? "roles" : "circles";
            if (byExternalId.GetValueOrDefault(role.ExternalId) is not { } existing)
            {
                planned.Add(new(new CreateRole(role.Name, purpose, accountabilities, domains, role.Circle is not null, role.ExternalId), item, kind));
                continue;
            }
            void Update(GovernanceChange change) => (change is RemoveDomain or RemoveAccountability ? removals : planned).Add(new(change, item, kind, role.ExternalId));
            // A purpose the source gives and this one cannot take leaves the role's own; one the source leaves out clears it.
            var newPurpose = purposeSkipped ? existing.Purpose : purpose ?? "";
            if (existing.Name != role.Name || newPurpose != existing.Purpose) Update(new UpdateRole(existing.Id, role.Name, newPurpose));
            foreach (var text in accountabilities.Except(existing.Accountabilities)) Update(new AddAccountability(existing.Id, text));
            foreach (var text in existing.Accountabilities.Except(accountabilities)) Update(new RemoveAccountability(existing.Id, text));
            var (holds, keeps) = (existing.Domains.Select(d => d.Key).ToHashSet(), domains.Select(d => d.Key).ToHashSet());
            foreach (var domain in domains.Where(d => !holds.Contains(d.Key))) Update(new AddDomain(existing.Id, domain));
            foreach (var gone in existing.Domains.Where(d => !keeps.Contains(d.Key))) Update(new RemoveDomain(existing.Id, gone.Key));
            if (role.Circle is not null && !existing.IsCircle) Update(new ConvertToCircle(existing.Id));
        }
        foreach (var policy in source.Policies)
        {
            var item = $"policy '{policy.Title}' of '{where}'";
            if (policy.Title.Length is 0 or > GovernanceRules.MaxNameLength || policy.Text.Length is 0 or > GovernanceRules.MaxTextLength)
            {
                tally.Skip(item, $"a policy needs a title of 1 to {GovernanceRules.MaxNameLength} and a text of 1 to {GovernanceRules.MaxTextLength} characters");
            }
            else if (circle.Policies.FirstOrDefault(p => p.Title == policy.Title) is not { } existing)
            {
                planned.Add(new(new AddPolicy(new PolicyInput(policy.Title, policy.Text)), item, "policies"));
            }
            else if (existing.Text != policy.Text)
            {
                var grants = existing.Grants.Select(g => new GrantInput(g.RoleId, g.MaxAmount, g.Currency)).ToList();
                planned.Add(new(new AmendPolicy(existing.Id, new PolicyInput(policy.Title, policy.Text, existing.DomainKey, grants, existing.MinimumResponseHours)), item, "policies", policy.ExternalId));
            }
        }
        return [.. removals, .. planned];
    }

    private static DomainInput? Domain(IReadOnlyList<string> path, Role circle, HeldKeys own, string text, IReadOnlyDictionary<string, string> map, HeldKeys held, string item, ImportTally tally)
    {
        var from = DerivedDomainKeys.From(path, text);
        var (key, problem) = DerivedDomainKeys.Derive(path, circle, text, map);
        if (key is null)
        {
            tally.Skip($"domain '{from}' of {item}", problem!);
            return null;
        }
        tally.Key(from, key);
        if (!circle.IsAnchorCircle && own.Enclosing(key) is null)
        {
            var holds = circle.Domains.Count == 0 ? "no domains" : string.Join(", ", circle.Domains.Select(d => d.Key));
            tally.Skip($"domain '{from}' ({key}) of {item}",
                $"Holacracy 5.0 §1.3.2: circle '{circle.Name}' holds {holds}; '{key}' is not within them (map it to a key within them with a mapping file)");
            return null;
        }
        if (held.Overlapping(key) is { } clash)
        {
            tally.Skip($"domain '{from}' ({key}) of {item}", $"Holacracy 5.0 §1.1(b): another role of the circle holds '{clash}'");
            return null;
        }
        return new DomainInput(key, DerivedDomainKeys.Title(text));
    }

    private static bool Fits(string text, string item, ImportTally tally)
    {
        if (text.Length <= GovernanceRules.MaxTextLength) return true;
        tally.Skip(item, $"longer than {GovernanceRules.MaxTextLength} characters");
        return false;
    }

    private static string Cut(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>
    /// Domain keys, asked which of them a key is within or overlaps by its own segments rather than
    /// by a scan: a circle's thousands of domains are each judged against all the others.
    /// </summary>
    private sealed class HeldKeys
    {
        private readonly HashSet<string> _keys = [];
        private readonly Dictionary<string, string> _inside = []; // a key that encloses a held one -> that held key

        public HeldKeys(IEnumerable<string> keys)
        {
            foreach (var key in keys) Add(key);
        }

        public void Add(string key)
        {
            if (!_keys.Add(key)) return;
            foreach (var enclosing in DomainKey.SelfAndAncestors(key).Skip(1)) _inside.TryAdd(enclosing, key);
        }

        /// <summary>The held key <paramref name="key"/> is within (itself included), or null.</summary>
        public string? Enclosing(string key) => DomainKey.SelfAndAncestors(key).FirstOrDefault(_keys.Contains);

        /// <summary>A held key that <paramref name="key"/> is within or that is within <paramref name="key"/> (§1.1(b)), or null.</summary>
        public string? Overlapping(string key) => Enclosing(key) ?? _inside.GetValueOrDefault(key);
    }
}
