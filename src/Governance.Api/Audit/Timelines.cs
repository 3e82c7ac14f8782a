using Governance.DecisionRights;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.People;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Audit;

public sealed record DomainTimelineEntry(
    long Sequence, DateTimeOffset Timestamp, string Type, string Status, RoleRef? Role, IReadOnlyList<DecisionMaker> DecisionMakers,
    Actor? Actor, string? CorrelationId);

public sealed record DomainTimeline(string Key, IReadOnlyList<DomainTimelineEntry> Entries);

public sealed record PersonTimelineEntry(
    long Sequence, DateTimeOffset Timestamp, string Type, Guid? RoleId, string? RoleName, Guid? CircleId, string? Focus, DateTimeOffset? TermEnds,
    Actor? Actor, string? CorrelationId);

public sealed record PersonTimeline(Guid PersonId, IReadOnlyList<PersonTimelineEntry> Entries);

/// <summary>
/// "Who decided X on 3 March, and by which record?" The organisation's events are folded in order;
/// after each event the question is asked again and every change of answer becomes an entry
/// naming the event that caused it.
/// </summary>
public static class Timelines
{
    /// <summary>Who decided a domain over time: every change of controller or decision-makers, with its event.</summary>
    [WolverineGet("/api/orgs/{orgId}/domains/{key}/history", OperationId = "getDomainTimeline"), Tags("Audit")]
    [Requires(Right.Audit)]
    public static async Task<Results<Ok<DomainTimeline>, ProblemHttpResult>> Domain(Guid orgId, string key, IQuerySession session, CancellationToken ct)
    {
        // Keys contain '/': clients send them escaped (customer-service%2Frefunds).
        key = Uri.UnescapeDataString(key);
        if (!DomainKey.IsValid(key)) return Problem.BadRequest("invalid-domain-key", $"Domain key '{key}' is invalid; escape '/' as %2F in the path.").ToResult();
        if (await session.OrganisationAsync(orgId, ct) is null) return Unknown.Organisation(orgId).ToResult();

        var registry = new OrganisationRegistry(orgId);
        var entries = new List<DomainTimelineEntry>();
        string? last = null;
        await foreach (var e in Replay.EventsAsync(session, orgId, DateTimeOffset.MaxValue, ct))
        {
            registry.Apply(e);
            if (registry.Snapshot(e.Timestamp, e.Sequence) is not { } then) continue;
            var answer = DecisionResolver.Resolve(new DecisionQuestion(key), then.Facts());
            var signature = $"{answer.Status}|{answer.Role?.Id}|{answer.Role?.Name}|{string.Join(",", answer.DecisionMakers.Select(m => $"{m.PersonId}:{m.RoleId}:{m.Via}"))}";
            if (signature == last) continue;
            last = signature;
            entries.Add(new DomainTimelineEntry(e.Sequence, e.Timestamp, e.EventTypeName, answer.Status, answer.Role, answer.DecisionMakers, Actor.Of(e), e.CorrelationId));
        }
        return TypedResults.Ok(new DomainTimeline(key, entries));
    }

    /// <summary>A person's roles over time: joining, changes of their details, assignments, focus changes, elections, unassignments, removal.</summary>
    [WolverineGet("/api/orgs/{orgId}/people/{personId}/history", OperationId = "getPersonTimeline"), Tags("Audit")]
    [Requires(Right.Audit)]
    public static async Task<Results<Ok<PersonTimeline>, ProblemHttpResult>> Person(Guid orgId, Guid personId, IQuerySession session, CancellationToken ct)
    {
        var registry = new OrganisationRegistry(orgId);
        var entries = new List<PersonTimelineEntry>();
        await foreach (var recorded in Replay.EventsAsync(session, orgId, DateTimeOffset.MaxValue, ct))
        {
            registry.Apply(recorded);
            var (roleId, focus, termEnds) = recorded.Data switch
            {
                IPersonEvent e when e.PersonId == personId => ((Guid?)null, (string?)null, (DateTimeOffset?)null),
                PersonAssignedToRole e when e.PersonId == personId => (e.RoleId, e.Focus, null),
                AssignmentFocusChanged e when e.PersonId == personId => (e.RoleId, e.Focus, null),
                PersonElectedToRole e when e.PersonId == personId => (e.RoleId, null, e.TermEnds),
                PersonUnassignedFromRole e when e.PersonId == personId => (e.RoleId, null, null),
                _ => ((Guid?)Guid.Empty, null, null),
            };
            if (roleId == Guid.Empty) continue;
            var role = roleId is { } id ? registry.Roles.GetValueOrDefault(id) : null;
            entries.Add(new PersonTimelineEntry(recorded.Sequence, recorded.Timestamp, recorded.EventTypeName, roleId, role?.Name, role?.CircleId, focus, termEnds,
                Actor.Of(recorded), recorded.CorrelationId));
        }
        return entries.Count == 0 ? Unknown.Person(personId).ToResult() : TypedResults.Ok(new PersonTimeline(personId, entries));
    }
}
