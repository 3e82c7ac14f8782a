using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.GovernanceChanges;

/// <summary>Why the record at a version is struck, and the changes that undo its effect.</summary>
public sealed record StrikeGovernance(string Reason, IReadOnlyList<GovernanceChange> Changes);

/// <summary>One record of a circle's governance log, and whether a later one struck it.</summary>
public sealed record GovernanceRecord(
    long Version, DateTimeOffset At, IReadOnlyList<AdoptedChange> Changes, Guid? ProposalId, Guid? MeetingId,
    StruckRecord? Strikes, long? StruckBy, string? StruckBecause);

public sealed record GovernanceRecords(Guid CircleId, IReadOnlyList<GovernanceRecord> Items);

/// <summary>
/// §4.2.2: a circle's Secretary strikes governance that violates the constitution. The struck record
/// stays in the log; a new record, marked as striking it, carries the changes that undo its effect.
/// Those changes are judged like any governance (lawful against the circle as it is now) and may
/// only touch what the struck record touched (its roles and policies), or create roles anew.
/// </summary>
public static class StrikingGovernance
{
    /// <summary>Strike the circle's governance record at a version (§4.2.2), with the changes that undo it.</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/governance/{version}/strike", OperationId = "strikeGovernance"), Tags("Governance")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<GovernanceResponse>, ProblemHttpResult>> Strike(
        Guid orgId, Guid circleId, long version, StrikeGovernance request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-reason", $"A strike states which rule the governance violates in 1 to {GovernanceRules.MaxTextLength} characters (§4.2.2).").ToResult();
        }
        var changes = request.Changes ?? [];
        if (await ApplyingGovernance.StateAsync(registry, orgId, circleId, changes, ct) is not { Snapshot.Circle.IsCircle: true } state)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        var records = await RecordsAsync(session, circleId, ct);
        if (records.FirstOrDefault(r => r.Version == version) is not { } struck)
        {
            return Problem.NotFound("record-not-found", $"The governance of '{state.Snapshot.Circle.Name}' has no record at version {version}.").ToResult();
        }
        if (struck.StruckBy is { } by) return Problem.Conflict("already-struck", $"Version {version} was struck by version {by} already.").ToResult();
        if (struck.Strikes is not null) return Problem.Conflict("strike-of-a-strike", "A strike is not struck; record new governance instead.").ToResult();
        var touched = struck.Changes.Select(c => c.RoleId).OfType<Guid>().ToHashSet();
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i] is not CreateRole && GovernanceChange.TargetOf(changes[i]) is { } target && !touched.Contains(target))
            {
                return Problem.Violation("strike-beyond-record", "A strike undoes the struck governance, nothing else.",
                    $"changes[{i}] ({changes[i].OpName}) touches {target}, which version {version} did not; record other changes as governance of their own.", "§4.2.2")
                    .ToResult(ApplyingGovernance.ChangeIndex(i));
            }
        }

        var outcome = await ApplyingGovernance.ApplyAsync(state, changes, expectedVersion: null, proposalId: null, session, ct,
            mayApply: snapshot => Authority.MayRule(caller, snapshot), strikes: new StruckRecord(version, reason));
        if (outcome.Problem is { } problem) return problem.ToResult(ApplyingGovernance.ChangeIndex(outcome.ChangeIndex));
        return TypedResults.Ok(new GovernanceResponse(outcome.Version, outcome.Results));
    }

    /// <summary>The circle's governance record: every batch adopted, by version, and which were struck and why.</summary>
    [WolverineGet("/api/orgs/{orgId}/circles/{circleId}/governance", OperationId = "listGovernanceRecords"), Tags("Governance")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<GovernanceRecords>, ProblemHttpResult>> List(Guid orgId, Guid circleId, LiveRegistry registry, IQuerySession session, CancellationToken ct)
    {
        var known = await registry.ReadAsync(orgId, view => view.Now?.Roles.TryGetValue(circleId, out var c) == true && c.IsCircle, ct);
        return known
            ? TypedResults.Ok(new GovernanceRecords(circleId, await RecordsAsync(session, circleId, ct)))
            : Unknown.Circle(circleId).ToResult();
    }

    private static async Task<IReadOnlyList<GovernanceRecord>> RecordsAsync(IQuerySession session, Guid circleId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(GovernanceLog.StreamIdOf(circleId), token: ct);
        var adopted = events.Where(e => e.Data is GovernanceChangesAdopted).Select(e => (e.Version, e.Timestamp, Record: (GovernanceChangesAdopted)e.Data)).ToList();
        var struckBy = adopted.Where(a => a.Record.Strikes is not null).ToDictionary(a => a.Record.Strikes!.Version, a => (a.Version, a.Record.Strikes!.Reason));
        return [.. adopted.Select(a => new GovernanceRecord(a.Version, a.Timestamp, a.Record.Changes, a.Record.ProposalId, a.Record.MeetingId, a.Record.Strikes,
            struckBy.TryGetValue(a.Version, out var s) ? s.Version : null, struckBy.TryGetValue(a.Version, out var why) ? why.Reason : null))];
    }
}
