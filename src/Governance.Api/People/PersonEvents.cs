using Governance.Registry;

namespace Governance.People;

/// <summary>
/// A person joined the organisation and may now be assigned to roles. It opens the person's own
/// stream (id = person id), so people join in parallel. <c>ExternalId</c> is the person's subject
/// at the organisation's identity provider (a token's <c>sub</c>), when known.
/// </summary>
public sealed record PersonJoined(Guid OrgId, Guid PersonId, string Name, string Email, string? ExternalId = null) : IStreamOpening;
