using Governance.Infrastructure;
using Governance.Registry;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Governance.Meetings;

public static class MeetingKinds
{
    public const string Governance = "governance";
    public const string Tactical = "tactical";

    public static readonly IReadOnlyList<string> All = [Governance, Tactical];
}

/// <summary>The kinds of what a meeting records.</summary>
public static class MeetingOutputs
{
    /// <summary>A proposal made in the meeting (its later adoption, withdrawal or discard is an output of its own).</summary>
    public const string Proposal = "proposal";
    public const string Governance = "governance";
    public const string Adoption = "adoption";
    public const string Election = "election";
    public const string Withdrawal = "withdrawal";
    public const string Discard = "discard";
}

public sealed record MeetingOutput(string Type, Guid? ProposalId, long? Version, Guid? RoleId, Guid? PersonId);

/// <summary>A meeting as it stands, projected inline from its stream.</summary>
public sealed record Meeting
{
    public Guid Id { get; init; }
    public Guid OrgId { get; init; }
    public Guid CircleId { get; init; }
    public string Kind { get; init; } = MeetingKinds.Governance;
    public IReadOnlyList<Guid> Attendees { get; init; } = [];
    public IReadOnlyList<Guid> Agenda { get; init; } = [];
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public IReadOnlyList<MeetingOutput> Outputs { get; init; } = [];

    public bool IsOpen => EndedAt is null;

    /// <summary>The meeting after one event of its stream: the one place an event's effect on a meeting is written.</summary>
    public static Meeting? Fold(Meeting? m, IMeetingEvent e) => e switch
    {
        MeetingOpened x => new Meeting
        {
            Id = x.MeetingId,
            OrgId = x.OrgId,
            CircleId = x.CircleId,
            Kind = x.Kind,
            Attendees = x.Attendees,
            Agenda = x.Agenda,
            StartedAt = x.OpenedAt,
        },
        _ when m is null => null,
        MeetingOutputRecorded x => m with { Outputs = [.. m.Outputs, new MeetingOutput(x.Type, x.ProposalId, x.Version, x.RoleId, x.PersonId)] },
        MeetingClosed x => m with { EndedAt = x.ClosedAt },
        _ => throw new UnfoldedEventException(e),
    };
}

public sealed class MeetingProjection : SingleStreamProjection<Meeting, Guid>
{
    public MeetingProjection() => EventTypes.IncludeOnly<IMeetingEvent>(this);

    public override Meeting? Evolve(Meeting? snapshot, Guid id, IEvent e) =>
        e.Data is IMeetingEvent change ? Meeting.Fold(snapshot, change) : snapshot;
}
