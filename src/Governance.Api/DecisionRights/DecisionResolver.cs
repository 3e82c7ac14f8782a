using Governance.People;
using Governance.Roles;

namespace Governance.DecisionRights;

/// <summary>The slice of the registry a question needs: holders of the key's prefixes, the roles up to the Anchor Circle, and people.</summary>
public sealed record RegistryFacts(
    Guid AnchorCircleId,
    IReadOnlyList<DomainHolding> Holdings,
    IReadOnlyDictionary<Guid, Role> Roles,
    IReadOnlyDictionary<Guid, Person> People);

public static class DecisionStatus
{
    public const string Resolved = "Resolved";
    public const string Ambiguous = "Ambiguous";
    public const string NoDomain = "NoDomain";
    public const string Unfilled = "Unfilled";
}

public static class DecisionVia
{
    public const string RoleFiller = "RoleFiller";
    public const string CircleLead = "CircleLead";
    public const string PolicyGrant = "PolicyGrant";
}

public sealed record DomainRef(string Key, string Title);

public sealed record RoleRef(Guid Id, string Name);

public sealed record DecisionMaker(Guid PersonId, string Name, Guid RoleId, string RoleName, string? Focus, string Via);

public sealed record ChainStep(string Rule, string Citation, string Detail);

public sealed record Resolution(
    string Status,
    DomainRef? Domain,
    RoleRef? Role,
    IReadOnlyList<DecisionMaker> DecisionMakers,
    IReadOnlyList<ChainStep> Chain);

/// <summary>
/// "Who decides?" for a domain key (../shared/DESIGN.md §3), as a pure function of registry facts:
/// match the most specific held key, follow its delegations down to the deepest holder, then find
/// the people: the holder's fillers, or Circle Leads up the circles when unfilled (§1.4.2).
/// Every step it takes is written to the chain.
/// </summary>
public static class DecisionResolver
{
    private const string Constitution = "Holacracy 5.0 ";

    public static Resolution Resolve(string key, RegistryFacts facts)
    {
        var chain = new List<ChainStep>();
        var matchedKey = DomainKey.SelfAndAncestors(key).FirstOrDefault(k => facts.Holdings.Any(h => h.Key == k));
        if (matchedKey is null)
        {
            return NoDomain(key, facts, chain);
        }

        chain.Add(matchedKey == key
            ? new("DomainMatched", Constitution + "§1.1(b)", $"Domain '{key}' is held in the registry.")
            : new("EnclosingDomainMatched", Constitution + "§1.1(b)",
                $"No role holds '{key}' itself; the most specific enclosing domain that is held is '{matchedKey}'."));

        var holder = DeepestHolder(facts.Holdings.Where(h => h.Key == matchedKey).ToList(), facts, chain);
        var role = facts.Roles[holder.RoleId];
        var makers = DecisionMakersFor(role, facts, chain);
        return new Resolution(
            makers.Count > 0 ? DecisionStatus.Resolved : DecisionStatus.Unfilled,
            new DomainRef(holder.Key, holder.Title),
            new RoleRef(role.Id, role.Name),
            makers,
            chain);
    }

    /// <summary>
    /// The holders of one key form a line of delegation: a circle's role holds it, and that circle
    /// may delegate the same key to one of its roles (§1.3.2). The deepest holder controls it.
    /// </summary>
    private static DomainHolding DeepestHolder(List<DomainHolding> holders, RegistryFacts facts, List<ChainStep> chain)
    {
        var current = holders.FirstOrDefault(h => !holders.Any(o => o.RoleId == h.CircleId)) ?? holders[0];
        chain.Add(new("DomainHeld", Constitution + "§1.1(b)",
            $"Circle '{NameOf(current.CircleId, facts)}' granted the domain '{current.Key}' to its role '{NameOf(current.RoleId, facts)}'."));
        while (holders.FirstOrDefault(h => h.CircleId == current.RoleId) is { } next)
        {
            chain.Add(new("DomainDelegated", Constitution + "§1.3.2",
                $"Circle '{NameOf(current.RoleId, facts)}' delegated '{next.Key}' to its role '{NameOf(next.RoleId, facts)}', which now controls it."));
            current = next;
        }
        return current;
    }

    private static List<DecisionMaker> DecisionMakersFor(Role role, RegistryFacts facts, List<ChainStep> chain)
    {
        if (role.IsCircle)
        {
            chain.Add(new("CircleHoldsDomain", Constitution + "§1.4",
                $"Circle '{role.Name}' holds the domain and has not delegated it: its Circle Lead decides."));
            return CircleLeadOf(role, facts, chain);
        }
        if (role.IsCircleLead && role.CircleId is { } ledCircle && facts.Roles.TryGetValue(ledCircle, out var circle))
        {
            chain.Add(new("CircleLeadRole", Constitution + "§1.4",
                $"The Circle Lead role of '{circle.Name}' is filled by whoever fills '{circle.Name}' in its super-circle."));
            return CircleLeadOf(circle, facts, chain);
        }
        if (role.Fillers.Count > 0)
        {
            chain.Add(new("RoleFiller", Constitution + "§1.4.1",
                $"Role '{role.Name}' is filled by {Names(role, facts)}, who decide{(role.Fillers.Count == 1 ? "s" : "")} for it."));
            return Fill(role, role, DecisionVia.RoleFiller, facts);
        }
        chain.Add(new("RoleUnfilled", Constitution + "§1.4.2",
            $"Role '{role.Name}' is unfilled: the Circle Lead of its circle covers it."));
        return role.CircleId is { } parent && facts.Roles.TryGetValue(parent, out var c) ? CircleLeadOf(c, facts, chain) : [];
    }

    /// <summary>§1.4: the fillers of a circle's role are its Circle Lead; an unfilled circle role is covered by the super-circle's Circle Lead (§1.4.2).</summary>
    private static List<DecisionMaker> CircleLeadOf(Role circle, RegistryFacts facts, List<ChainStep> chain)
    {
        for (var current = circle; ;)
        {
            if (current.Fillers.Count > 0)
            {
                chain.Add(new("CircleLead", Constitution + "§1.4",
                    $"{Names(current, facts)} fill{(current.Fillers.Count == 1 ? "s" : "")} '{current.Name}' and so act{(current.Fillers.Count == 1 ? "s" : "")} as its Circle Lead."));
                return Fill(current, current, DecisionVia.CircleLead, facts);
            }
            if (current.CircleId is not { } parent || !facts.Roles.TryGetValue(parent, out var super))
            {
                chain.Add(new("NoCircleLead", Constitution + "§1.4",
                    $"'{current.Name}' has no Circle Lead{(current.IsAnchorCircle ? " (the Anchor Circle has none unless a policy says so)" : "")}: nobody is entitled to decide."));
                return [];
            }
            chain.Add(new("CircleUnfilled", Constitution + "§1.4.2",
                $"Nobody fills '{current.Name}' in '{super.Name}', so the Circle Lead of '{super.Name}' covers it."));
            current = super;
        }
    }

    private static Resolution NoDomain(string key, RegistryFacts facts, List<ChainStep> chain)
    {
        var anchor = facts.Roles.GetValueOrDefault(facts.AnchorCircleId);
        chain.Add(new("NoDomain", Constitution + "§4.1.2",
            $"No role or circle holds '{key}' or any enclosing domain, so it rests with the Anchor Circle{(anchor is null ? "" : $" '{anchor.Name}'")} (§1.3.3). "
            + "Any role may impact it while doing its work, but if the impact would be hard or expensive to undo, first get permission "
            + "from the controlling circle's Circle Lead, or announce the intended impact and wait for objections. Silence is not permission."));
        if (anchor is not null)
        {
            CircleLeadOf(anchor, facts, chain);
        }
        return new Resolution(DecisionStatus.NoDomain, null, null, [], chain);
    }

    private static List<DecisionMaker> Fill(Role filled, Role reported, string via, RegistryFacts facts) =>
        [.. filled.Fillers.Select(f => new DecisionMaker(
            f.PersonId, facts.People.GetValueOrDefault(f.PersonId)?.Name ?? "", reported.Id, reported.Name, f.Focus, via))];

    private static string Names(Role role, RegistryFacts facts) =>
        string.Join(", ", role.Fillers.Select(f => facts.People.GetValueOrDefault(f.PersonId)?.Name ?? f.PersonId.ToString()));

    private static string NameOf(Guid? roleId, RegistryFacts facts) =>
        roleId is { } id && facts.Roles.TryGetValue(id, out var r) ? r.Name : "(unknown)";
}
