using Governance.Identity;
using Governance.Registry;
using Governance.Roles;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.DecisionRights;

public sealed record PolicyRef(Guid Id, string Title);

public sealed record PersonDecision(
    DomainRef Domain, RoleRef Role, string Via, string Citation, PolicyRef? Policy = null, decimal? MaxAmount = null, string? Currency = null);

public sealed record PersonDecisionsResponse(Guid PersonId, string Name, IReadOnlyList<PersonDecision> Decisions, long Sequence);

/// <summary>The reverse question: every domain a person decides, and through which role, lead or policy.</summary>
public static class PersonDecisions
{
    /// <summary>Everything a person decides, and through which role, lead or policy.</summary>
    [WolverineGet("/api/orgs/{orgId}/people/{personId}/decisions", OperationId = "listPersonDecisions"), Tags("Who decides")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<PersonDecisionsResponse>, ProblemHttpResult>> Get(Guid orgId, Guid personId, LiveRegistry registry, CancellationToken ct) =>
        await registry.ReadAsync(orgId, null, now => DecisionsIn(now, personId), ct);

    public static Results<Ok<PersonDecisionsResponse>, ProblemHttpResult> DecisionsIn(IRegistrySnapshot? now, Guid personId)
    {
        if (now?.People.GetValueOrDefault(personId) is not { } person) return Unknown.Person(personId).ToResult();
        var filled = now.RolesFilledBy(personId).ToList();

        // Circles the person leads, and unfilled sub-circles below them, whose roles they cover (§1.4.2).
        var inside = new Dictionary<Guid, IReadOnlyList<Role>>();
        var frontier = filled.Where(r => r.IsCircle).ToList();
        while (frontier.Count > 0)
        {
            var circle = frontier[^1];
            frontier.RemoveAt(frontier.Count - 1);
            if (inside.ContainsKey(circle.Id)) continue;
            var roles = inside[circle.Id] = [.. now.RolesIn(circle.Id)];
            frontier.AddRange(roles.Where(r => r.IsCircle && r.Fillers.Count == 0));
        }
        // An unfilled Secretary or Facilitator beside the Facilitator or Secretary they are: they act as it (§5.3.6(b)).
        var standingIn = filled
            .Where(r => Surrogates.HasSurrogate(r.ElectedRole) && r.CircleId is not null)
            .Select(r => now.Roles.GetValueOrDefault(ElectedRoles.RoleIdOf(r.CircleId!.Value, Surrogates.Other(r.ElectedRole!))))
            .OfType<Role>()
            .Where(r => r.Fillers.Count == 0)
            .ToList();
        var decisions = DecisionsOf(personId, filled, inside, [.. now.Circles], standingIn);
        return TypedResults.Ok(new PersonDecisionsResponse(person.Id, person.Name, decisions, now.Sequence));
    }

    /// <summary>
    /// Pure: the decisions of a person from the roles they fill, the roles inside the circles they
    /// lead, every circle's policies, and the unfilled Facilitator or Secretary roles they act as (§5.3.6(b)).
    /// </summary>
    public static IReadOnlyList<PersonDecision> DecisionsOf(
        Guid personId, IReadOnlyList<Role> filled, IReadOnlyDictionary<Guid, IReadOnlyList<Role>> inside, IReadOnlyList<Role> circles,
        IReadOnlyList<Role>? standingIn = null)
    {
        var decisions = new List<PersonDecision>();
        foreach (var role in standingIn ?? [])
        {
            decisions.AddRange(role.Domains.Select(d => new PersonDecision(Ref(d), new RoleRef(role.Id, role.Name), DecisionVia.Surrogate, "Holacracy 5.0 §5.3.6(b)")));
        }
        foreach (var role in filled.Where(r => r.FillerIds.Contains(personId)))
        {
            if (role.IsCircle) LeadDecisions(role, inside, decisions, new HashSet<Guid>());
            else decisions.AddRange(role.Domains.Select(d => new PersonDecision(Ref(d), new RoleRef(role.Id, role.Name), DecisionVia.RoleFiller, "Holacracy 5.0 §1.4.1")));
        }
        var filledIds = filled.Select(r => r.Id).ToHashSet();
        foreach (var circle in circles)
        {
            foreach (var policy in circle.Policies.Where(p => p.DomainKey is not null))
            {
                foreach (var grant in policy.Grants.Where(g => filledIds.Contains(g.RoleId)))
                {
                    var role = filled.First(r => r.Id == grant.RoleId);
                    decisions.Add(new PersonDecision(new DomainRef(policy.DomainKey!, policy.Title), new RoleRef(role.Id, role.Name), DecisionVia.PolicyGrant,
                        "Holacracy 5.0 §4.1.3", new PolicyRef(policy.Id, policy.Title), grant.MaxAmount, grant.Currency));
                }
            }
        }
        return [.. decisions.OrderBy(d => d.Domain.Key, StringComparer.Ordinal).ThenBy(d => d.Via, StringComparer.Ordinal)];
    }

    /// <summary>
    /// As Circle Lead (§1.4): the circle's domains it has not delegated whole, the domains of its
    /// Circle Lead role, and those of every unfilled role inside, recursively into unfilled sub-circles (§1.4.2).
    /// </summary>
    private static void LeadDecisions(Role circle, IReadOnlyDictionary<Guid, IReadOnlyList<Role>> inside, List<PersonDecision> decisions, HashSet<Guid> seen)
    {
        if (!seen.Add(circle.Id)) return;
        var roles = inside.GetValueOrDefault(circle.Id) ?? [];
        foreach (var d in circle.Domains.Where(d => !roles.Any(r => r.HoldsDomain(d.Key))))
        {
            decisions.Add(new PersonDecision(Ref(d), new RoleRef(circle.Id, circle.Name), DecisionVia.CircleLead, "Holacracy 5.0 §1.4"));
        }
        foreach (var role in roles)
        {
            if (role.IsCircleLead)
            {
                decisions.AddRange(role.Domains.Select(d => new PersonDecision(Ref(d), new RoleRef(role.Id, role.Name), DecisionVia.CircleLead, "Holacracy 5.0 §1.4")));
            }
            else if (role.Fillers.Count == 0 && role.IsCircle)
            {
                LeadDecisions(role, inside, decisions, seen);
            }
            else if (role.Fillers.Count == 0 && Surrogates.HasSurrogate(role.ElectedRole))
            {
                // §5.3.6: the other of Facilitator and Secretary acts as it when filled (b); the Circle Lead only if not (c).
                if (roles.Any(r => r.ElectedRole == Surrogates.Other(role.ElectedRole!) && r.Fillers.Count > 0)) continue;
                decisions.AddRange(role.Domains.Select(d => new PersonDecision(Ref(d), new RoleRef(role.Id, role.Name), DecisionVia.CircleLead, "Holacracy 5.0 §5.3.6(c)")));
            }
            else if (role.Fillers.Count == 0)
            {
                decisions.AddRange(role.Domains.Select(d => new PersonDecision(Ref(d), new RoleRef(role.Id, role.Name), DecisionVia.CircleLead, "Holacracy 5.0 §1.4.2")));
            }
        }
    }

    private static DomainRef Ref(HeldDomain d) => new(d.Key, d.Title);
}
