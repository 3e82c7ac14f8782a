using Governance.Registry;

namespace Governance.People;

// Events of a person's stream (stream id = person id), folded by Person.Fold.

/// <summary>An event of a person's stream, folded by <see cref="Person.Fold"/>.</summary>
public interface IPersonEvent
{
    Guid PersonId { get; }
}

/// <summary>
/// A person joined the organisation and may now be assigned to roles. It opens the person's own
/// stream (id = person id), so people join in parallel. <c>ExternalId</c> is the person's subject
/// at the organisation's identity provider (a token's <c>sub</c>), when known.
/// </summary>
public sealed record PersonJoined(Guid OrgId, Guid PersonId, string Name, string Email, string? ExternalId = null) : IPersonEvent, IStreamOpening;

public sealed record PersonRenamed(Guid PersonId, string Name) : IPersonEvent;

/// <summary>The person's e-mail address changed (a token with it speaks for them if they have no external id).</summary>
public sealed record PersonEmailChanged(Guid PersonId, string Email) : IPersonEvent;

/// <summary>The person's subject at the identity provider changed; null: they have none now (their e-mail identifies them).</summary>
public sealed record PersonExternalIdChanged(Guid PersonId, string? ExternalId) : IPersonEvent;

/// <summary>
/// The person left the organisation. Each of their assignments ended before, by its own
/// <c>PersonUnassignedFromRole</c> in the same transaction, so their roles fall back to the Circle
/// Lead at once (§1.4.2). Their history stays in the record.
/// </summary>
public sealed record PersonRemoved(Guid PersonId) : IPersonEvent;
