using System.Diagnostics;
using System.Globalization;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Governance.Roles;
using Governance.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>Who decides this? By domain key or in free text, with the people, the role, the policies and the rule chain.</summary>
    [WolverineGet("/api/orgs/{orgId}/decision-makers", OperationId = "askWhoDecides"), Tags("Who decides")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> Get(
        Guid orgId, string? domain, string? q, string? amount, string? currency, string? asOf,
        LiveRegistry registry, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await AskAsync(orgId, domain, q, amount, currency, asOf, registry, ct);
        }
        finally
        {
            GovernanceMetrics.WhoDecidesAnswered(asOf is not null ? GovernanceMetrics.Kind.AsOf : domain is not null ? GovernanceMetrics.Kind.Key : GovernanceMetrics.Kind.Text, started);
        }
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> AskAsync(
        Guid orgId, string? domain, string? q, string? amount, string? currency, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, badInstant) = AsOf.Parse(asOf);
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
            var question = new DecisionQuestion(domain, spend, currency?.ToUpperInvariant());
            return await registry.ReadAsync(orgId, at, past => AnswerIn(past, orgId, question), ct);
        }
        var answers = await AnswerAsync(orgId, [asked], registry, ct);
        return answers is null ? Unknown.Organisation(orgId).ToResult() : TypedResults.Ok(answers[0]);
    }

    /// <summary>Up to 1,000 who-decides questions answered at one event sequence.</summary>
    [WolverinePost("/api/orgs/{orgId}/decision-makers:batch", OperationId = "askWhoDecidesInBatch"), Tags("Who decides")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<DecisionBatchResponse>, ProblemHttpResult>> Batch(Guid orgId, DecisionBatchRequest request, LiveRegistry registry, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await AskInBatchAsync(orgId, request, registry, ct);
        }
        finally
        {
            GovernanceMetrics.WhoDecidesAnswered(GovernanceMetrics.Kind.Batch, started);
        }
    }

    private static async Task<Results<Ok<DecisionBatchResponse>, ProblemHttpResult>> AskInBatchAsync(Guid orgId, DecisionBatchRequest request, LiveRegistry registry, CancellationToken ct)
    {
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
        var answers = await AnswerAsync(orgId, asked, registry, ct);
        return answers is null
            ? Unknown.Organisation(orgId).ToResult()
            : TypedResults.Ok(new DecisionBatchResponse(answers, answers[0].Sequence));
    }

    /// <summary>A key question answered against a snapshot (null: no such organisation then).</summary>
    public static Results<Ok<DecisionResponse>, ProblemHttpResult> AnswerIn(IRegistrySnapshot? snapshot, Guid orgId, DecisionQuestion question) =>
        snapshot is null ? Unknown.Organisation(orgId).ToResult() : TypedResults.Ok(Answer(question, snapshot, null, []));

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
    /// Answers validated questions from one read of the live registry (null: no such organisation):
    /// free text is first matched to a domain (or found ambiguous or unmatched), then every key
    /// question is resolved. Only words never seen before cost a database round trip (their lexemes).
    /// </summary>
    private static async Task<IReadOnlyList<DecisionResponse>?> AnswerAsync(
        Guid orgId, IReadOnlyList<BatchQuestion> asked, LiveRegistry registry, CancellationToken ct)
    {
        var words = asked.Select(a => a.Domain is null ? FreeText.Words(a.Q!).Take(FreeText.MaxWords).ToList() : []).ToList();
        await registry.Lexicon.LearnAsync(words.SelectMany(w => w), remember: false, ct);
        return await registry.ReadAsync(orgId, view =>
        {
            if (view.Now is not { } now) return null;
            var answers = new List<DecisionResponse>(asked.Count);
            for (var i = 0; i < asked.Count; i++)
            {
                answers.Add(asked[i].Domain is { } key
                    ? Answer(new DecisionQuestion(key, asked[i].Amount, asked[i].Currency?.ToUpperInvariant()), now, null, [])
                    : AnswerText(asked[i], words[i], now, view));
            }
            return (IReadOnlyList<DecisionResponse>)answers;
        }, ct);
    }

    /// <summary>A free-text question: the domain it matches best, resolved; or Ambiguous; or NoDomain (§4.1.2).</summary>
    private static DecisionResponse AnswerText(BatchQuestion asked, IReadOnlyList<string> words, IRegistrySnapshot now, RegistryView view)
    {
        var lexemes = words.SelectMany(view.Lexicon.Of).ToHashSet(StringComparer.Ordinal);
        var verdict = FreeText.Choose(view.Text!.Search(now.Organisation.Id, lexemes, FreeText.MaxCandidates));
        var steps = new List<ChainStep>();
        var (amount, currency) = (asked.Amount, asked.Currency?.ToUpperInvariant());
        if (amount is null && FreeText.AmountIn(asked.Q!) is { } written)
        {
            (amount, currency) = (written.Amount, currency ?? written.Currency);
            steps.Add(new ChainStep("AmountFromQuestion", "Holacracy 5.0 §4.1.3",
                $"The question mentions {written.Amount.ToString(CultureInfo.InvariantCulture)} {written.Currency}; it is treated as a spending question."));
        }
        var candidates = verdict.Candidates
            .Select(m => new CandidateResponse(new DomainRef(m.Key, m.Title), new RoleRef(m.RoleId, m.RoleName), Math.Round(m.Score, 4))).ToList();
        if (verdict.Winner is { } w)
        {
            steps.Insert(0, new ChainStep("FreeTextMatched", "Holacracy 5.0 §1.1(b)",
                $"\"{asked.Q}\" matches the domain '{w.Key}' ({w.Title}) held by '{w.RoleName}' best"
                + (verdict.Candidates.Count > 1 ? $", ahead of '{verdict.Candidates[1].Key}'." : ".")));
            return Answer(new DecisionQuestion(w.Key, amount, currency), now, steps, candidates);
        }
        if (verdict.Ambiguous)
        {
            return new DecisionResponse(DecisionStatus.Ambiguous, null, null, [], candidates, [],
                [.. steps, new ChainStep("Ambiguous", "Holacracy 5.0 §1.1(b)",
                    $"\"{asked.Q}\" matches several domains held by different roles about equally well; ask again with one of the candidates' domain keys.")],
                now.AsOf, now.Sequence);
        }
        var none = DecisionResolver.NothingMatched($"\"{asked.Q}\"", now.Facts());
        return new DecisionResponse(none.Status, null, null, [], [], [], [.. steps, .. none.Chain], now.AsOf, now.Sequence);
    }

    private static DecisionResponse Answer(
        DecisionQuestion question, IRegistrySnapshot snapshot, IReadOnlyList<ChainStep>? before, IReadOnlyList<CandidateResponse> candidates)
    {
        var r = DecisionResolver.Resolve(question, snapshot.Facts());
        return new DecisionResponse(r.Status, r.Domain, r.Role, r.DecisionMakers, candidates,
            [.. (r.Policies ?? []).Select(p => PolicyResponse.From(p.Policy, p.Circle.Id))],
            [.. before ?? [], .. r.Chain], snapshot.AsOf, snapshot.Sequence);
    }
}
