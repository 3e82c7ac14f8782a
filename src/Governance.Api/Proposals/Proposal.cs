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
}

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

    public IEnumerable<Objection> OpenObjections => Objections.Where(o => !o.Integrated);

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
        },
        _ when p is null => null,
        ProposalAmended x => p with { Changes = x.Changes },
        ObjectionRaised x => p with { Objections = [.. p.Objections, new Objection(x.ObjectionId, x.ObjectorId, x.Reason, false, x.Tests)] },
        ObjectionIntegrated x => p with
        {
            Changes = x.Changes,
            Objections = [.. p.Objections.Select(o => o.Id == x.ObjectionId ? o with { Integrated = true } : o)],
        },
        ProposalAdopted x => p with { Status = ProposalStatus.Adopted, AdoptedVersion = x.Version },
        ProposalWithdrawn => p with { Status = ProposalStatus.Withdrawn },
        _ => throw new UnfoldedEventException(e),
    };
}

public sealed class ProposalProjection : SingleStreamProjection<Proposal, Guid>
{
    public ProposalProjection() => EventTypes.IncludeOnly<IProposalEvent>(this);

    public override Proposal? Evolve(Proposal? snapshot, Guid id, IEvent e) =>
        e.Data is IProposalEvent change ? Proposal.Fold(snapshot, change) : snapshot;
}
