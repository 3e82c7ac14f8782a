namespace Governance.Organisations;

// OrganisationFounded opens the organisation's stream (id = organisation id); PersonJoined opens a
// person's stream (id = person id), so people join in parallel.

/// <summary>An organisation was founded together with its Anchor Circle (§1.3.3).</summary>
public sealed record OrganisationFounded(Guid OrgId, string Name, Guid AnchorCircleId);

/// <summary>A person joined the organisation and may now be assigned to roles.</summary>
public sealed record PersonJoined(Guid OrgId, Guid PersonId, string Name, string Email);
