using System.Globalization;
using Governance.Infrastructure;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Governance.DecisionRights;

public sealed record CandidateResponse(DomainRef Domain, RoleRef Role, double Score);

public sealed record DecisionResponse(
    string Status,
    DomainRef? Domain,
    RoleRef? Role,
    IReadOnlyList<DecisionMaker> DecisionMakers,
    IReadOnlyList<CandidateResponse> Candidates,
    IReadOnlyList<PolicyResponse> Policies,
    IReadOnlyList<ChainStep> Chain,
    DateTimeOffset AsOf,
    long Sequence);

/// <summary>"Who decides this?" for support tools: the people, the role, the domain and the rule chain.</summary>
public static class AskingWhoDecides
{
    [WolverineGet("/api/orgs/{orgId}/decision-makers"), Tags("Who decides")]
    [ProducesResponseType<DecisionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(
        Guid orgId, string? domain, string? q, string? amount, string? currency, string? asOf,
        IQuerySession session, CancellationToken ct)
    {
        if (TimeTravel.Refuse(asOf) is { } refused) return refused.ToResult();
        if (await session.OrganisationAsync(orgId, ct) is not { } org) return Registry.OrganisationNotFound(orgId).ToResult();
        if (domain is null)
        {
            return Problem.BadRequest(q is null ? "missing-question" : "free-text-not-supported",
                q is null ? "Ask with ?domain=<key>." : "Free-text questions (q=) are not available yet; ask with ?domain=<key>.").ToResult();
        }
        if (!DomainKey.IsValid(domain))
        {
            return Problem.BadRequest("invalid-domain-key", $"Domain key '{domain}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'.").ToResult();
        }
        decimal? spend = null;
        if (amount is not null)
        {
            if (!decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) || parsed < 0)
            {
                return Problem.BadRequest("invalid-amount", $"amount '{amount}' is not a non-negative number.").ToResult();
            }
            spend = parsed;
        }

        var sequence = await session.LatestSequenceAsync(ct);
        var facts = await FactsAsync(org.Id, org.AnchorCircleId, domain, session, ct);
        var resolution = DecisionResolver.Resolve(domain, facts);
        var chain = resolution.Chain.ToList();
        if (spend is { } money)
        {
            // Policies that authorise spending arrive with the governance process; until then none exists.
            chain.Add(new ChainStep("SpendingNotAuthorised", "Holacracy 5.0 §4.1.3",
                $"Spending {money.ToString(CultureInfo.InvariantCulture)}{(currency is null ? "" : " " + currency.ToUpperInvariant())} needs a policy that authorises it; none does. "
                + "The decision-makers control the domain, not the organisation's money."));
        }
        return Results.Ok(new DecisionResponse(resolution.Status, resolution.Domain, resolution.Role, resolution.DecisionMakers,
            [], [], chain, DateTimeOffset.UtcNow, sequence));
    }

    /// <summary>Loads the holders of the key and its enclosing keys, the roles up to the Anchor Circle, and the people who fill them.</summary>
    private static async Task<RegistryFacts> FactsAsync(Guid orgId, Guid anchorId, string key, IQuerySession session, CancellationToken ct)
    {
        var keys = DomainKey.SelfAndAncestors(key).ToArray();
        var holdings = await session.Query<DomainHolding>().Where(h => h.OrgId == orgId && h.Key.IsOneOf(keys)).ToListAsync(ct);

        var roles = new Dictionary<Guid, Role>();
        var asked = new HashSet<Guid>();
        var wanted = holdings.Select(h => h.RoleId).Append(anchorId).ToHashSet();
        while (wanted.Count > 0)
        {
            asked.UnionWith(wanted);
            foreach (var role in await session.LoadManyAsync<Role>(ct, wanted))
            {
                roles[role.Id] = role;
            }
            wanted = [.. roles.Values.Select(r => r.CircleId).OfType<Guid>().Where(id => !asked.Contains(id))];
        }
        var people = await session.PeopleAsync(roles.Values.SelectMany(r => r.Fillers).Select(f => f.PersonId), ct);
        return new RegistryFacts(anchorId, [.. holdings], roles, people);
    }
}
