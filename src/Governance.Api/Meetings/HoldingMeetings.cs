using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Proposals;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Meetings;

public sealed record OpenMeeting(string Kind, IReadOnlyList<Guid> Attendees);

public sealed record MeetingCreatedResponse(Guid Id);

public sealed record MeetingResponse(
    Guid Id, Guid CircleId, string Kind, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<Guid> Attendees, IReadOnlyList<Guid> Agenda, IReadOnlyList<MeetingOutput> Outputs)
{
    public static MeetingResponse Of(Meeting m) => new(m.Id, m.CircleId, m.Kind, m.StartedAt, m.EndedAt, m.Attendees, m.Agenda, m.Outputs);
}

/// <summary>
/// A circle's meetings as a record (§5.4 governance, Article 3 tactical): who attended, the agenda
/// a governance meeting began with (the proposals sent to it), and what it decided. The outputs are
/// recorded as they are decided, by the changes, adoptions, elections, withdrawals and discards that
/// name the meeting.
/// </summary>
public static class HoldingMeetings
{
    public const int MaxAttendees = 500;

    /// <summary>Open a meeting of the circle with its attendees (§5.4.1: its Circle Members).</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/meetings", OperationId = "openMeeting"), Tags("Meetings")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<MeetingCreatedResponse>, ProblemHttpResult>> Open(
        Guid orgId, Guid circleId, OpenMeeting request, Caller caller, LiveRegistry registry, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if ((await ApplyingGovernance.StateAsync(registry, orgId, circleId, [], ct))?.Snapshot is not { Circle.IsCircle: true } snapshot)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        if (!MeetingKinds.All.Contains(request.Kind ?? ""))
        {
            return Problem.BadRequest("invalid-meeting-kind", $"A meeting is one of {string.Join(", ", MeetingKinds.All)}; '{request.Kind}' is not.").ToResult();
        }
        var attendees = (request.Attendees ?? []).Distinct().ToList();
        if (attendees.Count is 0 or > MaxAttendees)
        {
            return Problem.BadRequest("invalid-attendees", $"A meeting names 1 to {MaxAttendees} attendees.").ToResult();
        }
        if (Authority.MayRunMeeting(caller, snapshot) is { } notTheirs) return notTheirs.ToResult();
        foreach (var person in attendees)
        {
            if (await session.PersonAsync(orgId, person, ct) is null) return Unknown.Person(person).ToResult();
            if (!CircleMembers.IsMember(snapshot, person))
            {
                return Problem.Violation("attendee-not-a-member", "Only the circle's members take part in its meetings.",
                    $"Person {person} is not a member of '{snapshot.Circle.Name}' (its Circle Lead, a filler of one of its roles, or a Circle Rep of a sub-circle).",
                    request.Kind == MeetingKinds.Governance ? "§5.4.1" : "§3.1").ToResult();
            }
        }

        IReadOnlyList<Guid> agenda = request.Kind == MeetingKinds.Governance
            ? [.. (await session.Query<Proposal>().Where(p => p.OrgId == orgId && p.CircleId == circleId && p.Status == ProposalStatus.ToMeeting).ToListAsync(ct))
                .OrderBy(p => p.Id).Select(p => p.Id)]
            : [];
        var id = Guid.CreateVersion7();
        session.Events.StartStream<Meeting>(id, new MeetingOpened(id, orgId, circleId, request.Kind!, attendees, clock.GetUtcNow(), agenda));
        return TypedResults.Created($"/api/orgs/{orgId}/meetings/{id}", new MeetingCreatedResponse(id));
    }

    /// <summary>Close a meeting: its record is then final.</summary>
    [WolverinePost("/api/orgs/{orgId}/meetings/{meetingId}/close", OperationId = "closeMeeting"), Tags("Meetings")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult>> Close(
        Guid orgId, Guid meetingId, Caller caller, LiveRegistry registry, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Meeting>(meetingId, ct);
        if (stream.Aggregate is not { } meeting || meeting.OrgId != orgId) return MeetingRecords.NotFound(meetingId).ToResult();
        if (!meeting.IsOpen) return Problem.Conflict("meeting-closed", $"Meeting {meetingId} has ended already.").ToResult();
        if ((await ApplyingGovernance.StateAsync(registry, orgId, meeting.CircleId, [], ct))?.Snapshot is { } snapshot
            && Authority.MayRunMeeting(caller, snapshot) is { } notTheirs)
        {
            return notTheirs.ToResult();
        }
        var closed = new MeetingClosed(meetingId, clock.GetUtcNow());
        stream.AppendOne(closed);
        return TypedResults.Ok(MeetingResponse.Of(Meeting.Fold(meeting, closed)!));
    }

    /// <summary>A meeting: its circle, kind, time, attendees, agenda and outputs.</summary>
    [WolverineGet("/api/orgs/{orgId}/meetings/{meetingId}", OperationId = "getMeeting"), Tags("Meetings")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult>> Get(Guid orgId, Guid meetingId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Meeting>(meetingId, ct) is { } meeting && meeting.OrgId == orgId
            ? TypedResults.Ok(MeetingResponse.Of(meeting))
            : MeetingRecords.NotFound(meetingId).ToResult();
}
