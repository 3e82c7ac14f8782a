using System.Globalization;
using Governance.Infrastructure;
using Governance.Organisations;
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

public sealed record BatchQuestion(string? Domain = null, string? Q = null, decimal? Amount = null, string? Currency = null);

public sealed record DecisionBatchRequest(IReadOnlyList<BatchQuestion> Questions);

public sealed record DecisionBatchResponse(IReadOnlyList<DecisionResponse> Answers, long Sequence);

/// <summary>"Who decides this?" for support tools: the people, the role, the domain, the policies and the rule chain.</summary>
public static class AskingWhoDecides
{
    public const int MaxBatch = 1000;

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
        decimal? spend = null;
        if (amount is not null)
        {
            if (!decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problem.BadRequest("invalid-amount", $"amount '{amount}' is not a number.").ToResult();
            }
            spend = parsed;
        }
        var (question, problem) = Question(new BatchQuestion(domain, q, spend, currency));
        if (problem is not null) return problem.ToResult();

        var sequence = await session.LatestSequenceAsync(ct);
        var facts = await FactsAsync(org, [question!.Key], session, ct);
        return Results.Ok(Answer(question, facts, sequence));
    }

    [WolverinePost("/api/orgs/{orgId}/decision-makers:batch"), Tags("Who decides")]
    [ProducesResponseType<DecisionBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Batch(Guid orgId, DecisionBatchRequest request, IQuerySession session, CancellationToken ct)
    {
        if (await session.OrganisationAsync(orgId, ct) is not { } org) return Registry.OrganisationNotFound(orgId).ToResult();
        var asked = request.Questions ?? [];
        if (asked.Count is 0 or > MaxBatch)
        {
            return Problem.BadRequest("invalid-batch", $"A batch carries 1 to {MaxBatch} questions; this one has {asked.Count}.").ToResult();
        }
        var questions = new List<DecisionQuestion>();
        for (var i = 0; i < asked.Count; i++)
        {
            var (question, problem) = Question(asked[i] ?? new BatchQuestion());
            if (problem is not null)
            {
                return (problem with { Detail = $"questions[{i}]: {problem.Detail}" }).ToResult(new Dictionary<string, object?> { ["questionIndex"] = i });
            }
            questions.Add(question!);
        }

        // One read of the registry for the whole batch: every answer reflects the same sequence.
        var sequence = await session.LatestSequenceAsync(ct);
        var facts = await FactsAsync(org, questions.Select(x => x.Key), session, ct);
        return Results.Ok(new DecisionBatchResponse([.. questions.Select(x => Answer(x, facts, sequence))], sequence));
    }

    public static (DecisionQuestion? Question, Problem? Problem) Question(BatchQuestion asked)
    {
        if (asked.Domain is null)
        {
            return (null, Problem.BadRequest(asked.Q is null ? "missing-question" : "free-text-not-supported",
                asked.Q is null ? "Ask with domain=<key>." : "Free-text questions (q=) are not available yet; ask with domain=<key>."));
        }
        if (!DomainKey.IsValid(asked.Domain))
        {
            return (null, Problem.BadRequest("invalid-domain-key", $"Domain key '{asked.Domain}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'."));
        }
        if (asked.Amount is < 0)
        {
            return (null, Problem.BadRequest("invalid-amount", "amount must be zero or more."));
        }
        if (asked.Currency is { } currency && !System.Text.RegularExpressions.Regex.IsMatch(currency, "^[A-Za-z]{3}$"))
        {
            return (null, Problem.BadRequest("invalid-currency", $"'{currency}' is not an ISO 4217 currency code such as EUR."));
        }
        return (new DecisionQuestion(asked.Domain, asked.Amount, asked.Currency?.ToUpperInvariant()), null);
    }

    private static DecisionResponse Answer(DecisionQuestion question, RegistryFacts facts, long sequence)
    {
        var r = DecisionResolver.Resolve(question, facts);
        return new DecisionResponse(r.Status, r.Domain, r.Role, r.DecisionMakers, [],
            [.. (r.Policies ?? []).Select(p => PolicyResponse.From(p.Policy, p.Circle.Id))],
            r.Chain, DateTimeOffset.UtcNow, sequence);
    }

    /// <summary>
    /// Loads what questions about these keys need: holders of each key and its enclosing keys, the
    /// roles from those holders up to the Anchor Circle, the roles their policies grant, and the
    /// people who fill them. A few indexed queries, whatever the organisation's size.
    /// </summary>
    public static async Task<RegistryFacts> FactsAsync(Organisation org, IEnumerable<string> keys, IQuerySession session, CancellationToken ct)
    {
        var asked = keys.Distinct().ToList();
        var prefixes = asked.SelectMany(DomainKey.SelfAndAncestors).Distinct().ToArray();
        var holdings = await session.Query<DomainHolding>().Where(h => h.OrgId == org.Id && h.Key.IsOneOf(prefixes)).ToListAsync(ct);

        var roles = new Dictionary<Guid, Role>();
        var tried = new HashSet<Guid>();
        async Task LoadAsync(IEnumerable<Guid> ids)
        {
            var wanted = ids.Where(tried.Add).ToArray();
            if (wanted.Length == 0) return;
            foreach (var role in await session.LoadManyAsync<Role>(ct, wanted))
            {
                if (role.OrgId == org.Id) roles[role.Id] = role;
            }
        }

        await LoadAsync(holdings.Select(h => h.RoleId).Append(org.AnchorCircleId));
        for (var depth = 0; depth < 64; depth++)
        {
            var parents = roles.Values.Select(r => r.CircleId).OfType<Guid>().Where(id => !tried.Contains(id)).ToList();
            if (parents.Count == 0) break;
            await LoadAsync(parents);
        }
        var granted = roles.Values.Where(r => r.IsCircle)
            .SelectMany(c => c.Policies)
            .Where(p => p.DomainKey is { } k && asked.Any(key => DomainKey.IsWithin(key, k)))
            .SelectMany(p => p.Grants.Select(g => g.RoleId));
        await LoadAsync(granted);
        var people = await session.PeopleAsync(roles.Values.SelectMany(r => r.Fillers).Select(f => f.PersonId), ct);
        return new RegistryFacts(org.AnchorCircleId, [.. holdings], roles, people);
    }
}
