using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Rulings;

/// <summary>A conflict of interpretation put to the circle's Secretary, their ruling, and the domain it is about, if one.</summary>
public sealed record RuleOnInterpretation(string Question, string Ruling, string? DomainKey = null);

public sealed record WithdrawRuling(string Reason);

public sealed record RulingResponse(Guid Id, Guid CircleId, string Question, string Ruling, string? DomainKey, Guid? SecretaryId, DateTimeOffset RuledAt)
{
    public static RulingResponse Of(Ruling r, Guid circleId) => new(r.Id, circleId, r.Question, r.Text, r.DomainKey, r.SecretaryId, r.RuledAt);
}

/// <summary>
/// The Secretary's interpretation rulings (§4.2.1): recorded on the circle, shown with it, and in
/// every "who decides" answer about a domain they cover, so people align with them. A ruling holds
/// until withdrawn (the text or context changed, or a super-circle's Secretary overruled it).
/// </summary>
public static class RulingOnInterpretations
{
    /// <summary>Record the Secretary's ruling on a conflict of interpretation (§4.2.1).</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/rulings", OperationId = "ruleOnInterpretation"), Tags("Rulings")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<RulingResponse>, ProblemHttpResult>> Rule(
        Guid orgId, Guid circleId, RuleOnInterpretation request, Caller caller, LiveRegistry registry, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if ((await ApplyingGovernance.StateAsync(registry, orgId, circleId, [], ct))?.Snapshot is not { Circle.IsCircle: true } snapshot)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        if ((Text(request.Question, "question") ?? Text(request.Ruling, "ruling")) is { } bad) return bad.ToResult();
        if (request.DomainKey is { } key)
        {
            if (!DomainKey.IsValid(key)) return Problem.BadRequest("invalid-domain-key", $"Domain key '{key}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'.").ToResult();
            // §4.2: governance is interpreted in the context of the circle containing it.
            if (!snapshot.Circle.IsAnchorCircle && !snapshot.Circle.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
            {
                return Problem.Violation("ruling-outside-circle", "The ruling is about a domain outside the circle.",
                    $"Circle '{snapshot.Circle.Name}' does not hold '{key}'; the Secretary of the circle that does rules on it.", "§4.2").ToResult();
            }
        }
        if (Authority.MayRule(caller, snapshot) is { } notTheirs) return notTheirs.ToResult();

        var ruled = new InterpretationRuled(Guid.CreateVersion7(), circleId, request.Question.Trim(), request.Ruling.Trim(), request.DomainKey, caller.PersonId, clock.GetUtcNow());
        (await session.Events.FetchForExclusiveWriting<Role>(circleId, ct)).AppendOne(ruled);
        return TypedResults.Created($"/api/orgs/{orgId}/circles/{circleId}",
            new RulingResponse(ruled.RulingId, circleId, ruled.Question, ruled.Ruling, ruled.DomainKey, ruled.SecretaryId, ruled.RuledAt));
    }

    /// <summary>Withdraw a ruling: its text or context changed, or a super-circle's Secretary overruled it (§4.2.1).</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/rulings/{rulingId}/withdraw", OperationId = "withdrawRuling"), Tags("Rulings")]
    [Requires(Right.Write)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(
        Guid orgId, Guid circleId, Guid rulingId, WithdrawRuling request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        if ((await ApplyingGovernance.StateAsync(registry, orgId, circleId, [], ct))?.Snapshot is not { Circle.IsCircle: true } snapshot)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        if (Text(request.Reason, "reason") is { } bad) return bad.ToResult();
        if (Authority.MayRule(caller, snapshot) is { } notTheirs) return notTheirs.ToResult();
        var stream = await session.Events.FetchForExclusiveWriting<Role>(circleId, ct);
        if (stream.Aggregate?.Rulings.Any(r => r.Id == rulingId) != true)
        {
            return Problem.NotFound("ruling-not-found", $"Circle '{snapshot.Circle.Name}' has no ruling {rulingId} in force.").ToResult();
        }
        stream.AppendOne(new InterpretationRulingWithdrawn(rulingId, circleId, request.Reason.Trim()));
        return TypedResults.NoContent();
    }

    private static Problem? Text(string? text, string what) =>
        (text?.Trim().Length ?? 0) is 0 or > GovernanceRules.MaxTextLength
            ? Problem.BadRequest($"invalid-{what}", $"The {what} takes 1 to {GovernanceRules.MaxTextLength} characters.")
            : null;
}
