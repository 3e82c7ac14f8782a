using Governance.Infrastructure;
using JasperFx.Events;
using Marten;

namespace Governance.Meetings;

/// <summary>
/// Outputs carry the meeting that decided them (§5.4): governance batches, adoptions, elections,
/// withdrawals and discarded proposals given a <c>meetingId</c> are recorded on the meeting's stream in
/// the same transaction. Only an open governance meeting of the same circle decides governance.
/// </summary>
public static class MeetingRecords
{
    /// <summary>The meeting's stream, locked, when it is an open governance meeting of the circle; else the problem.</summary>
    public static async Task<(IEventStream<Meeting>? Stream, Problem? Problem)> GovernanceMeetingAsync(
        IDocumentSession session, Guid orgId, Guid circleId, Guid meetingId, CancellationToken ct)
    {
        // Marten refuses the all-zero id as a stream id: no meeting has it.
        if (meetingId == Guid.Empty) return (null, NotFound(meetingId));
        var stream = await session.Events.FetchForExclusiveWriting<Meeting>(meetingId, ct);
        if (stream.Aggregate is not { } meeting || meeting.OrgId != orgId) return (null, NotFound(meetingId));
        if (meeting.CircleId != circleId)
        {
            return (null, Problem.Violation("meeting-of-another-circle", "The meeting is another circle's.",
                $"Meeting {meetingId} is a meeting of another circle; a circle's governance is decided in its own meetings.", "§5.4"));
        }
        if (meeting.Kind != MeetingKinds.Governance)
        {
            return (null, Problem.Violation("not-a-governance-meeting", "Governance is not decided in a tactical meeting.",
                "Tactical meetings (Article 3) coordinate operations; governance changes and elections happen in governance meetings or asynchronously.", "§5.4"));
        }
        return meeting.IsOpen
            ? (stream, null)
            : (null, Problem.Conflict("meeting-closed", $"Meeting {meetingId} has ended; its outputs are final."));
    }

    public static void Record(IEventStream<Meeting> stream, MeetingOutput output) =>
        stream.AppendOne(new MeetingOutputRecorded(stream.Id, output.Type, output.ProposalId, output.Version, output.RoleId, output.PersonId));

    public static Problem NotFound(Guid meetingId) => Problem.NotFound("meeting-not-found", $"The organisation has no meeting {meetingId}.");
}
