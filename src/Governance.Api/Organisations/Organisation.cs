using Marten.Events.Aggregation;

namespace Governance.Organisations;

/// <summary>Registry view of an organisation, projected inline from its stream.</summary>
public sealed record Organisation(Guid Id, string Name, Guid AnchorCircleId);

public sealed partial class OrganisationProjection : SingleStreamProjection<Organisation, Guid>
{
    public static Organisation Create(OrganisationFounded e) => new(e.OrgId, e.Name, e.AnchorCircleId);
}
