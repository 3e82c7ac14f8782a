using Governance.Registry;

namespace Governance.Meetings;

// Events of a meeting's stream (stream id = meeting id), §3 and §5.4.

/// <summary>An event of a meeting's stream, folded by <see cref="Meeting.Fold"/>.</summary>
public interface IMeetingEvent;

/// <summary>
/// A circle's meeting began (§5.4 governance, Article 3 tactical) with these attendees. The agenda
/// of a governance meeting starts with the circle's proposals waiting for it (status ToMeeting).
/// </summary>
public sealed record MeetingOpened(
    Guid MeetingId, Guid OrgId, Guid CircleId, string Kind, IReadOnlyList<Guid> Attendees, DateTimeOffset OpenedAt, IReadOnlyList<Guid> Agenda)
    : IMeetingEvent, IStreamOpening;

/// <summary>What a governance meeting decided: a batch of changes, an adoption, an election, a withdrawal or a discarded proposal.</summary>
public sealed record MeetingOutputRecorded(Guid MeetingId, string Type, Guid? ProposalId, long? Version, Guid? RoleId, Guid? PersonId) : IMeetingEvent;

public sealed record MeetingClosed(Guid MeetingId, DateTimeOffset ClosedAt) : IMeetingEvent;
