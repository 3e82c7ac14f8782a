using Governance.Registry;

namespace Governance.People;

/// <summary>
/// A person joined the organisation and may now be assigned to roles. It opens the person's own
/// stream (id = person id), so people join in parallel.
/// </summary>
public sealed record PersonJoined(Guid OrgId, Guid PersonId, string Name, string Email) : IStreamOpening;
