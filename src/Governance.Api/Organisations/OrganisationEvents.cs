using Governance.Registry;

namespace Governance.Organisations;

// Events of an organisation's stream (stream id = organisation id): its founding, its admins and
// the API keys its tools use. Each is an IOrganisationEvent: Organisation.Fold folds it.

/// <summary>An event of an organisation's stream, folded by <see cref="Organisation.Fold"/>.</summary>
public interface IOrganisationEvent;

/// <summary>An organisation was founded together with its Anchor Circle (§1.3.3).</summary>
public sealed record OrganisationFounded(Guid OrgId, string Name, Guid AnchorCircleId) : IOrganisationEvent, IStreamOpening;

/// <summary>A person of the organisation was made one of its admins (its founder is the first).</summary>
public sealed record AdminGranted(Guid OrgId, Guid PersonId) : IOrganisationEvent;

public sealed record AdminRevoked(Guid OrgId, Guid PersonId) : IOrganisationEvent;

/// <summary>
/// An admin created an API key for a tool. Only the SHA-256 of its secret is kept (the key itself
/// is shown once, to its creator); scopes are <c>registry:read</c> and <c>audit:read</c>.
/// </summary>
public sealed record ApiKeyCreated(Guid OrgId, Guid KeyId, string Name, IReadOnlyList<string> Scopes, string SecretHash) : IOrganisationEvent;

public sealed record ApiKeyRevoked(Guid OrgId, Guid KeyId) : IOrganisationEvent;
