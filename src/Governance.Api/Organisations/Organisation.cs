using Marten.Events.Aggregation;

namespace Governance.Organisations;

/// <summary>An organisation as its stream has made it (it is only ever founded).</summary>
public sealed record Organisation(Guid Id, string Name, Guid AnchorCircleId)
{
    public static Organisation Create(OrganisationFounded e) => new(e.OrgId, e.Name, e.AnchorCircleId);
}

public sealed partial class OrganisationProjection : SingleStreamProjection<Organisation, Guid>
{
    public static Organisation Create(OrganisationFounded e) => Organisation.Create(e);
}
