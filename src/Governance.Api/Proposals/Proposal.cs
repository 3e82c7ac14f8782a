using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.Registry;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Governance.Proposals;

public static class ProposalStatus
{
    public const string Open = "Open";
    public const string Adopted = "Adopted";
    public const string Withdrawn = "Withdrawn";
    /// <summary>Waiting for the circle's next governance meeting (§5.4); still open to its steps there.</summary>
    public const string ToMeeting = "ToMeeting";
    public const string Discarded = "Discarded";

    /// <summary>Statuses in which a proposal still takes steps (objections, integration, amendment, adoption, withdrawal).</summary>
    public static bool IsActive(string status) => status is Open or ToMeeting;
}

/// <summary>The answers a Circle Member gives an asynchronous proposal (§5.3).</summary>
public static class Responses
{
    public const string NoObjection = "noObjection";
    public const string Objection = "objection";
    public const string BringToMeeting = "bringToMeeting";

    public static readonly IReadOnlyList<string> All = [NoObjection, Objection, BringToMeeting];
}

public static class AdoptionReasons
{
    public const string Consent = "consent";
    public const string Deadline = "deadline";
}

/// <summary>A Circle Member's answer to one revision of a proposal.</summary>
public sealed record MemberResponse(Guid PersonId, string Response, string? Reason, DateTimeOffset At, int Revision);

public sealed record Objection(Guid Id, Guid ObjectorId, string Reason, bool Integrated, ObjectionTests? Tests = null);

/// <summary>A proposal as it stands, projected inline from its stream.</summary>
public sealed record Proposal
{
    public Guid Id { get; init; }
    public Guid OrgId { get; init; }
    public Guid CircleId { get; init; }
    public Guid ProposerId { get; init; }
    public string Tension { get; init; } = "";
    public IReadOnlyList<GovernanceChange> Changes { get; init; } = [];
    public string Status { get; init; } = ProposalStatus.Open;
    public IReadOnlyList<Objection> Objections { get; init; } = [];
    public long? AdoptedVersion { get; init; }
    public string? AdoptedReason { get; init; }
    public DateTimeOffset? RespondBy { get; init; }
    /// <summary>Counts amendments and integrations: the changes Circle Members answer are those of this revision.</summary>
    public int Revision { get; init; }
    /// <summary>Each member's latest answer, in the order first given.</summary>
    public IReadOnlyList<MemberResponse> Responses { get; init; } = [];
    /// <summary>Why it waits for a meeting, or why it was discarded.</summary>
    public string? ToMeetingReason { get; init; }

    public IEnumerable<Objection> OpenObjections => Objections.Where(o => !o.Integrated);

    /// <summary>The members who consented to the changes as they now stand.</summary>
    public IEnumerable<Guid> ConsentingToThisRevision =>
        Responses.Where(r => r.Revision == Revision && r.Response == Proposals.Responses.NoObjection).Select(r => r.PersonId);

    /// <summary>The proposal after one event of its stream: the one place an event's effect on a proposal is written.</summary>
    public static Proposal? Fold(Proposal? p, IProposalEvent e) => e switch
    {
        ProposalSubmitted x => new Proposal
        {
            Id = x.ProposalId,
            OrgId = x.OrgId,
            CircleId = x.CircleId,
            ProposerId = x.ProposerId,
            Tension = x.Tension,
            Changes = x.Changes,
            RespondBy = x.RespondBy,
        },
        _ when p is null => null,
        ProposalAmended x => p with { Changes = x.Changes, Revision = p.Revision + 1 },
        ObjectionRaised x => p with { Objections = [.. p.Objections, new Objection(x.ObjectionId, x.ObjectorId, x.Reason, false, x.Tests)] },
        ObjectionIntegrated x => p with
        {
            Changes = x.Changes,
            Revision = p.Revision + 1,
            Objections = [.. p.Objections.Select(o => o.Id == x.ObjectionId ? o with { Integrated = true } : o)],
        },
        ProposalAdopted x => p with { Status = ProposalStatus.Adopted, AdoptedVersion = x.Version, AdoptedReason = x.Reason },
        ProposalWithdrawn => p with { Status = ProposalStatus.Withdrawn },
        ResponseGiven x => p with
        {
            Responses = p.Responses.Any(r => r.PersonId == x.PersonId)
                ? [.. p.Responses.Select(r => r.PersonId == x.PersonId ? Answer(x) : r)]
                : [.. p.Responses, Answer(x)],
        },
        ProposalSentToMeeting x => p with { Status = ProposalStatus.ToMeeting, ToMeetingReason = x.Reason },
        ProposalDiscarded x => p with { Status = ProposalStatus.Discarded, ToMeetingReason = x.Reason },
        _ => throw new UnfoldedEventException(e),
    };

    private static MemberResponse Answer(ResponseGiven x) => new(x.PersonId, x.Response, x.Reason, x.At, x.Revision);
}

public sealed class ProposalProjection : SingleStreamProjection<Proposal, Guid>
{
    public ProposalProjection() => EventTypes.IncludeOnly<IProposalEvent>(this);

    public override Proposal? Evolve(Proposal? snapshot, Guid id, IEvent e) =>
        e.Data is IProposalEvent change ? Proposal.Fold(snapshot, change) : snapshot;
}
