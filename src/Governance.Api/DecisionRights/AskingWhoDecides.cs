using System.Globalization;
using Governance.Infrastructure;
using Governance.Organisations;
using Governance.Roles;
using Marten;
using Npgsql;
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
        IQuerySession session, NpgsqlDataSource database, CancellationToken ct)
    {
        var (instant, badInstant) = TimeTravel.Parse(asOf);
        if (badInstant is not null) return badInstant.ToResult();
        decimal? spend = null;
        if (amount is not null)
        {
            if (!decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problem.BadRequest("invalid-amount", $"amount '{amount}' is not a number.").ToResult();
            }
            spend = parsed;
        }
        var asked = new BatchQuestion(domain, q, spend, currency);
        if (CheckQuestion(asked) is { } problem) return problem.ToResult();
        if (instant is { } at)
        {
            if (domain is null)
            {
                return Problem.BadRequest("asof-free-text", "Free-text questions are answered for the current state only; ask a past instant by domain=<key>.").ToResult();
            }
            var past = await session.ReplayAsync(orgId, at, database, ct);
            if (past.Organisation is not { } then) return Registry.OrganisationNotFound(orgId).ToResult();
            var holdings = past.Roles.Values.SelectMany(DomainHolding.Of).ToList();
            var facts = new RegistryFacts(then.AnchorCircleId, holdings, past.Roles, past.People);
            return Results.Ok(Answer(new DecisionQuestion(domain, spend, currency?.ToUpperInvariant()), facts, past.Sequence, null, [], at));
        }
        if (await session.OrganisationAsync(orgId, ct) is not { } org) return Registry.OrganisationNotFound(orgId).ToResult();

        var sequence = await session.LatestSequenceAsync(ct);
        var answers = await AnswerAsync(org, [asked], session, database, sequence, ct);
        return Results.Ok(answers[0]);
    }

    [WolverinePost("/api/orgs/{orgId}/decision-makers:batch"), Tags("Who decides")]
    [ProducesResponseType<DecisionBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Batch(Guid orgId, DecisionBatchRequest request, IQuerySession session, NpgsqlDataSource database, CancellationToken ct)
    {
        if (await session.OrganisationAsync(orgId, ct) is not { } org) return Registry.OrganisationNotFound(orgId).ToResult();
        var asked = request.Questions ?? [];
        if (asked.Count is 0 or > MaxBatch)
        {
            return Problem.BadRequest("invalid-batch", $"A batch carries 1 to {MaxBatch} questions; this one has {asked.Count}.").ToResult();
        }
        for (var i = 0; i < asked.Count; i++)
        {
            if (CheckQuestion(asked[i] ?? new BatchQuestion()) is { } problem)
            {
                return (problem with { Detail = $"questions[{i}]: {problem.Detail}" }).ToResult(new Dictionary<string, object?> { ["questionIndex"] = i });
            }
        }

        // One read of the registry for the whole batch: every answer reflects the same sequence.
        var sequence = await session.LatestSequenceAsync(ct);
        return Results.Ok(new DecisionBatchResponse(await AnswerAsync(org, asked, session, database, sequence, ct), sequence));
    }

    public const int MaxQuestionLength = 500;

    private static Problem? CheckQuestion(BatchQuestion asked)
    {
        if (asked.Domain is null && string.IsNullOrWhiteSpace(asked.Q))
        {
            return Problem.BadRequest("missing-question", "Ask with domain=<key> or q=<free text>.");
        }
        if (asked.Domain is not null && !DomainKey.IsValid(asked.Domain))
        {
            return Problem.BadRequest("invalid-domain-key", $"Domain key '{asked.Domain}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'.");
        }
        if (asked.Domain is null && asked.Q!.Length > MaxQuestionLength)
        {
            return Problem.BadRequest("invalid-question", $"A free-text question takes at most {MaxQuestionLength} characters.");
        }
        if (asked.Amount is < 0)
        {
            return Problem.BadRequest("invalid-amount", "amount must be zero or more.");
        }
        return Problem.InvalidCurrency(asked.Currency);
    }

    /// <summary>
    /// Answers validated questions: free text is first matched to a domain (or found ambiguous or
    /// unmatched), then every key question is resolved from one load of the registry.
    /// </summary>
    private static async Task<IReadOnlyList<DecisionResponse>> AnswerAsync(
        Organisation org, IReadOnlyList<BatchQuestion> asked, IQuerySession session, NpgsqlDataSource database, long sequence, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var verdicts = new TextVerdict?[asked.Count];
        var questions = new DecisionQuestion?[asked.Count];
        var steps = new List<ChainStep>?[asked.Count];
        for (var i = 0; i < asked.Count; i++)
        {
            var a = asked[i];
            var (amount, currency) = (a.Amount, a.Currency?.ToUpperInvariant());
            string? key = a.Domain;
            if (key is null)
            {
                var verdict = verdicts[i] = FreeText.Choose(await FreeText.SearchAsync(database, schema, org.Id, a.Q!, ct));
                steps[i] = [];
                if (amount is null && FreeText.AmountIn(a.Q!) is { } written)
                {
                    (amount, currency) = (written.Amount, currency ?? written.Currency);
                    steps[i]!.Add(new ChainStep("AmountFromQuestion", "Holacracy 5.0 §4.1.3",
                        $"The question mentions {written.Amount.ToString(CultureInfo.InvariantCulture)} {written.Currency}; it is treated as a spending question."));
                }
                key = verdict.Winner?.Key;
                if (verdict.Winner is { } w)
                {
                    steps[i]!.Insert(0, new ChainStep("FreeTextMatched", "Holacracy 5.0 §1.1(b)",
                        $"\"{a.Q}\" matches the domain '{w.Key}' ({w.Title}) held by '{w.RoleName}' best"
                        + (verdict.Candidates.Count > 1 ? $", ahead of '{verdict.Candidates[1].Key}'." : ".")));
                }
            }
            questions[i] = key is null ? null : new DecisionQuestion(key, amount, currency);
        }

        var facts = await FactsAsync(org, questions.OfType<DecisionQuestion>().Select(x => x.Key), session, ct);
        var answers = new List<DecisionResponse>();
        for (var i = 0; i < asked.Count; i++)
        {
            var candidates = (verdicts[i]?.Candidates ?? [])
                .Select(m => new CandidateResponse(new DomainRef(m.Key, m.Title), new RoleRef(m.RoleId, m.RoleName), Math.Round(m.Score, 4))).ToList();
            if (questions[i] is { } question)
            {
                answers.Add(Answer(question, facts, sequence, steps[i], candidates));
            }
            else if (verdicts[i] is { Ambiguous: true })
            {
                answers.Add(new DecisionResponse(DecisionStatus.Ambiguous, null, null, [], candidates, [],
                    [.. steps[i] ?? [], new ChainStep("Ambiguous", "Holacracy 5.0 §1.1(b)",
                        $"\"{asked[i].Q}\" matches several domains held by different roles about equally well; ask again with one of the candidates' domain keys.")],
                    DateTimeOffset.UtcNow, sequence));
            }
            else
            {
                var none = DecisionResolver.NothingMatched($"\"{asked[i].Q}\"", facts);
                answers.Add(new DecisionResponse(none.Status, null, null, [], [], [], [.. steps[i] ?? [], .. none.Chain], DateTimeOffset.UtcNow, sequence));
            }
        }
        return answers;
    }

    private static DecisionResponse Answer(
        DecisionQuestion question, RegistryFacts facts, long sequence, IReadOnlyList<ChainStep>? before, IReadOnlyList<CandidateResponse> candidates,
        DateTimeOffset? asOf = null)
    {
        var r = DecisionResolver.Resolve(question, facts);
        return new DecisionResponse(r.Status, r.Domain, r.Role, r.DecisionMakers, candidates,
            [.. (r.Policies ?? []).Select(p => PolicyResponse.From(p.Policy, p.Circle.Id))],
            [.. before ?? [], .. r.Chain], asOf ?? DateTimeOffset.UtcNow, sequence);
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
