using Governance.GovernanceChanges;
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
}

public sealed partial class ProposalProjection : SingleStreamProjection<Proposal, Guid>
{
    public static Proposal Create(ProposalSubmitted e) => new()
    {
        Id = e.ProposalId,
        OrgId = e.OrgId,
        CircleId = e.CircleId,
        ProposerId = e.ProposerId,
        Tension = e.Tension,
        Changes = e.Changes,
    };

    public static Proposal Apply(ProposalAmended e, Proposal p) => p with { Changes = e.Changes };

    public static Proposal Apply(ObjectionRaised e, Proposal p) =>
        p with { Objections = [.. p.Objections, new Objection(e.ObjectionId, e.ObjectorId, e.Reason, false, e.Tests)] };

    public static Proposal Apply(ObjectionIntegrated e, Proposal p) => p with
    {
        Changes = e.Changes,
        Objections = [.. p.Objections.Select(o => o.Id == e.ObjectionId ? o with { Integrated = true } : o)],
    };

    public static Proposal Apply(ProposalAdopted e, Proposal p) => p with { Status = ProposalStatus.Adopted, AdoptedVersion = e.Version };

    public static Proposal Apply(ProposalWithdrawn e, Proposal p) => p with { Status = ProposalStatus.Withdrawn };
}
