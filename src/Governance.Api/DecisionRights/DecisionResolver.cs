using Governance.People;
using Governance.Roles;

namespace Governance.DecisionRights;

/// <summary>What a question is resolved against: the holders of a key, every role of the organisation (by id) and its people.</summary>
public sealed class RegistryFacts
{
    private readonly Func<string, IReadOnlyList<DomainHolding>> _holdersOf;

    public RegistryFacts(Guid anchorCircleId, Func<string, IReadOnlyList<DomainHolding>> holdersOf,
        IReadOnlyDictionary<Guid, Role> roles, IReadOnlyDictionary<Guid, Person> people)
    {
        (AnchorCircleId, _holdersOf, Roles, People) = (anchorCircleId, holdersOf, roles, people);
    }

    /// <summary>From a plain list of holdings (tests, small registries).</summary>
    public RegistryFacts(Guid anchorCircleId, IEnumerable<DomainHolding> holdings, IReadOnlyDictionary<Guid, Role> roles, IReadOnlyDictionary<Guid, Person> people)
        : this(anchorCircleId, Holders(holdings), roles, people)
    {
    }

    public Guid AnchorCircleId { get; }
    public IReadOnlyDictionary<Guid, Role> Roles { get; }
    public IReadOnlyDictionary<Guid, Person> People { get; }

    /// <summary>The roles holding exactly this key: one, or a line of delegation (§1.3.2).</summary>
    public IReadOnlyList<DomainHolding> HoldersOf(string key) => _holdersOf(key);

    private static Func<string, IReadOnlyList<DomainHolding>> Holders(IEnumerable<DomainHolding> holdings)
    {
        var byKey = holdings.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<DomainHolding>)[.. g]);
        return key => byKey.GetValueOrDefault(key) ?? [];
    }
}

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
    /// <summary>§5.3.6(b): the Facilitator acting as an unfilled Secretary, or the Secretary as an unfilled Facilitator.</summary>
    public const string Surrogate = "Surrogate";
}

public sealed record DomainRef(string Key, string Title);

public sealed record RoleRef(Guid Id, string Name);

public sealed record DecisionMaker(Guid PersonId, string Name, Guid RoleId, string RoleName, string? Focus, string Via);

public sealed record ChainStep(string Rule, string Citation, string Detail);

/// <summary>A question: a domain key, and for spending questions an amount in a currency (§4.1.3).</summary>
public sealed record DecisionQuestion(string Key, decimal? Amount = null, string? Currency = null);

/// <summary>A policy that regulates the question's domain, and the circle that adopted it.</summary>
public sealed record ApplicablePolicy(Policy Policy, Role Circle);

public sealed record Resolution(
    string Status,
    DomainRef? Domain,
    RoleRef? Role,
    IReadOnlyList<DecisionMaker> DecisionMakers,
    IReadOnlyList<ChainStep> Chain,
    IReadOnlyList<ApplicablePolicy>? Policies = null);

/// <summary>
/// "Who decides?" for a domain key (../shared/DESIGN.md §3), as a pure function of registry facts:
/// match the most specific held key, follow its delegations down to the deepest holder, then find
/// the people: the holder's fillers, or Circle Leads up the circles when unfilled (§1.4.2; for an
/// unfilled Facilitator or Secretary, its surrogate, §5.3.6).
/// Every step it takes is written to the chain.
/// </summary>
public static class DecisionResolver
{
    private const string Constitution = "Holacracy 5.0 ";

    public static Resolution Resolve(string key, RegistryFacts facts) => Resolve(new DecisionQuestion(key), facts);

    public static Resolution Resolve(DecisionQuestion question, RegistryFacts facts)
    {
        var key = question.Key;
        var chain = new List<ChainStep>();
        var matchedKey = DomainKey.SelfAndAncestors(key).FirstOrDefault(k => facts.HoldersOf(k).Count > 0);
        if (matchedKey is null)
        {
            var none = NoDomain(key, facts, chain);
            var anchor = facts.Roles.GetValueOrDefault(facts.AnchorCircleId);
            var (granted, policies) = ApplyPolicies(question, anchor is null ? [] : [anchor], facts, chain);
            NoteRulings(key, anchor is null ? [] : [anchor], chain);
            return granted.Count > 0
                ? none with { Status = DecisionStatus.Resolved, DecisionMakers = granted, Policies = policies }
                : none with { Policies = policies };
        }

        chain.Add(matchedKey == key
            ? new("DomainMatched", Constitution + "§1.1(b)", $"Domain '{key}' is held in the registry.")
            : new("EnclosingDomainMatched", Constitution + "§1.1(b)",
                $"No role holds '{key}' itself; the most specific enclosing domain that is held is '{matchedKey}'."));

        var holder = DeepestHolder(facts.HoldersOf(matchedKey), facts, chain);
        var role = facts.Roles[holder.RoleId];
        var makers = DecisionMakersFor(role, facts, chain);
        var circles = CirclesAbove(role, facts);
        var (grantees, applicable) = ApplyPolicies(question, circles, facts, chain);
        NoteRulings(key, circles, chain);
        makers.AddRange(grantees.Where(g => !makers.Any(m => m.PersonId == g.PersonId && m.RoleId == g.RoleId)));
        return new Resolution(
            makers.Count > 0 ? DecisionStatus.Resolved : DecisionStatus.Unfilled,
            new DomainRef(holder.Key, holder.Title),
            new RoleRef(role.Id, role.Name),
            makers,
            chain,
            applicable);
    }

    /// <summary>The circles whose policies can regulate a role's domain: the role itself when it is a circle, then its circles up to the Anchor Circle, innermost first.</summary>
    private static List<Role> CirclesAbove(Role role, RegistryFacts facts)
    {
        var circles = new List<Role>();
        if (role.IsCircle) circles.Add(role);
        for (var id = role.CircleId; id is { } c && facts.Roles.TryGetValue(c, out var circle) && circles.Count < 64; id = circle.CircleId)
        {
            circles.Add(circle);
        }
        return circles;
    }

    /// <summary>
    /// Policies on the question's domain (or an enclosing one) from the given circles. Outer circles
    /// delegated the domain, so their policies supersede inner ones that grant the same role
    /// (DESIGN §2). A grant lets its role's fillers decide beside the controller; with an amount,
    /// only grants whose limit covers it in the same currency apply (§4.1.3).
    /// </summary>
    private static (List<DecisionMaker> Grantees, List<ApplicablePolicy> Applicable) ApplyPolicies(
        DecisionQuestion question, List<Role> innermostFirst, RegistryFacts facts, List<ChainStep> chain)
    {
        var applicable = new List<ApplicablePolicy>();
        var grantees = new List<DecisionMaker>();
        var grantedBy = new Dictionary<Guid, ApplicablePolicy>();
        var authorisedSpending = false;
        foreach (var circle in Enumerable.Reverse(innermostFirst))
        {
            foreach (var policy in circle.Policies.Where(p => p.DomainKey is { } k && DomainKey.IsWithin(question.Key, k)))
            {
                var found = new ApplicablePolicy(policy, circle);
                applicable.Add(found);
                if (policy.Grants.Count == 0)
                {
                    chain.Add(new("Policy", Constitution + "§1.1", $"Policy '{policy.Title}' of '{circle.Name}' regulates '{policy.DomainKey}': {policy.Text}"));
                }
                foreach (var grant in policy.Grants)
                {
                    var roleName = facts.Roles.GetValueOrDefault(grant.RoleId)?.Name ?? grant.RoleId.ToString();
                    if (grantedBy.TryGetValue(grant.RoleId, out var outer))
                    {
                        chain.Add(new("PolicySuperseded", Constitution + "§1.3.2",
                            $"Policy '{policy.Title}' of '{circle.Name}' also grants '{roleName}', but '{outer.Policy.Title}' of the delegating circle '{outer.Circle.Name}' supersedes it."));
                        continue;
                    }
                    grantedBy[grant.RoleId] = found;
                    if (GrantSkipReason(question, grant) is { } reason)
                    {
                        chain.Add(new("PolicyGrantNotApplicable", Constitution + "§4.1.3",
                            $"Policy '{policy.Title}' of '{circle.Name}' grants '{roleName}' {Limit(grant)}, which does not cover this question: {reason}."));
                        continue;
                    }
                    if (!facts.Roles.TryGetValue(grant.RoleId, out var grantedRole))
                    {
                        chain.Add(new("PolicyGrantNotApplicable", Constitution + "§1.1", $"Policy '{policy.Title}' grants a role that no longer exists."));
                        continue;
                    }
                    authorisedSpending |= question.Amount is not null;
                    var fillers = Fill(grantedRole, grantedRole, DecisionVia.PolicyGrant, facts);
                    chain.Add(new("PolicyGrant", Constitution + (question.Amount is null ? "§1.1" : "§4.1.3"),
                        $"Policy '{policy.Title}' of '{circle.Name}' lets the fillers of '{grantedRole.Name}' decide {Limit(grant)}"
                        + (fillers.Count == 0 ? ", but nobody fills it." : $": {Names(grantedRole, facts)}.")));
                    grantees.AddRange(fillers);
                }
            }
        }
        if (question.Amount is { } amount)
        {
            var money = $"{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(question.Currency is null ? "" : " " + question.Currency.ToUpperInvariant())}";
            chain.Add(authorisedSpending
                ? new("SpendingAuthorised", Constitution + "§4.1.3", $"Spending {money} is authorised by the policy grants above.")
                : new("SpendingNotAuthorised", Constitution + "§4.1.3",
                    $"Spending {money} needs a policy that authorises it; none does. The decision-makers control the domain, not the organisation's money."));
        }
        return (grantees, applicable);
    }

    /// <summary>
    /// §4.2.1: the Secretaries' interpretation rulings on the question's domain (or an enclosing one),
    /// innermost circle first; everyone aligns with them, and a super-circle's Secretary overrules a sub-circle's.
    /// </summary>
    private static void NoteRulings(string key, List<Role> innermostFirst, List<ChainStep> chain)
    {
        var rulings = innermostFirst.SelectMany(c => c.Rulings.Where(r => r.DomainKey is { } k && DomainKey.IsWithin(key, k)).Select(r => (Circle: c, Ruling: r))).ToList();
        foreach (var (circle, ruling) in rulings)
        {
            var overrules = rulings.Any(r => r.Circle != circle) && circle == rulings[^1].Circle;
            var prevails = overrules ? " It prevails: a super-circle's Secretary overrules a sub-circle's." : "";
            chain.Add(new("InterpretationRuling", Constitution + "§4.2.1",
                $"The Secretary of '{circle.Name}' ruled on {ruling.RuledAt:yyyy-MM-dd} about '{ruling.DomainKey}': \"{ruling.Question}\" {ruling.Text}{prevails}"));
        }
    }

    private static string? GrantSkipReason(DecisionQuestion question, PolicyGrant grant)
    {
        if (question.Amount is not { } amount || grant.MaxAmount is not { } max) return null;
        if (question.Currency is null) return $"the question gives no currency, the limit is in {grant.Currency}";
        if (!string.Equals(question.Currency, grant.Currency, StringComparison.OrdinalIgnoreCase)) return $"the question is in {question.Currency.ToUpperInvariant()}";
        return amount <= max ? null : $"{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} is above the limit";
    }

    private static string Limit(PolicyGrant grant) =>
        grant.MaxAmount is { } max ? $"up to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)} {grant.Currency}" : "without limit";

    /// <summary>
    /// The holders of one key form a line of delegation: a circle's role holds it, and that circle
    /// may delegate the same key to one of its roles (§1.3.2). The deepest holder controls it.
    /// </summary>
    private static DomainHolding DeepestHolder(IReadOnlyList<DomainHolding> holders, RegistryFacts facts, List<ChainStep> chain)
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
        if (Surrogates.HasSurrogate(role.ElectedRole) && role.CircleId is { } electing && facts.Roles.TryGetValue(electing, out var ofCircle))
        {
            return SurrogateFor(role, ofCircle, facts, chain);
        }
        chain.Add(new("RoleUnfilled", Constitution + "§1.4.2",
            $"Role '{role.Name}' is unfilled: the Circle Lead of its circle covers it."));
        return role.CircleId is { } parent && facts.Roles.TryGetValue(parent, out var c) ? CircleLeadOf(c, facts, chain) : [];
    }

    /// <summary>
    /// §5.3.6: an unfilled Facilitator or Secretary is acted as by the other of the two, if filled
    /// (b), else by the circle's Circle Lead (c); the rule for these roles instead of §1.4.2.
    /// </summary>
    private static List<DecisionMaker> SurrogateFor(Role role, Role circle, RegistryFacts facts, List<ChainStep> chain)
    {
        var other = Surrogates.Other(role.ElectedRole!);
        if (facts.Roles.GetValueOrDefault(ElectedRoles.RoleIdOf(circle.Id, other)) is { Fillers.Count: > 0 } acting && acting.ElectedRole == other)
        {
            chain.Add(new("Surrogate", Constitution + "§5.3.6(b)",
                $"Role '{role.Name}' is unfilled: the {other} of '{circle.Name}', {Names(acting, facts)}, acts as {role.ElectedRole} while it is."));
            return Fill(acting, role, DecisionVia.Surrogate, facts);
        }
        chain.Add(new("Surrogate", Constitution + "§5.3.6(c)",
            $"Role '{role.Name}' is unfilled and so is the {other} of '{circle.Name}': its Circle Lead acts as {role.ElectedRole} while they are."));
        return CircleLeadOf(circle, facts, chain);
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

    /// <summary>A free-text question that matched no domain: the §4.1.2 answer, about the question itself.</summary>
    public static Resolution NothingMatched(string question, RegistryFacts facts) =>
        NoDomain(question, facts, [], $"No domain matches {question}");

    private static Resolution NoDomain(string key, RegistryFacts facts, List<ChainStep> chain, string? subject = null)
    {
        var anchor = facts.Roles.GetValueOrDefault(facts.AnchorCircleId);
        chain.Add(new("NoDomain", Constitution + "§4.1.2",
            $"{subject ?? $"No role or circle holds '{key}' or any enclosing domain"}, so it rests with the Anchor Circle{(anchor is null ? "" : $" '{anchor.Name}'")} (§1.3.3). "
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
