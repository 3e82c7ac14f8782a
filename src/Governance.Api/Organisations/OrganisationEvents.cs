using Governance.Registry;

namespace Governance.Organisations;

/// <summary>An organisation was founded together with its Anchor Circle (§1.3.3); it opens the organisation's stream (id = organisation id).</summary>
public sealed record OrganisationFounded(Guid OrgId, string Name, Guid AnchorCircleId) : IStreamOpening;
