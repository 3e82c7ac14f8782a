using Governance.Roles;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// The registry of every organisation, folded from the whole event store: each event goes to the
/// organisation that owns its stream (known from the stream's opening event, <see cref="IStreamOpening"/>).
/// Not thread-safe: <see cref="LiveRegistry"/> guards it.
/// </summary>
public sealed class RegistryFold
{
    private readonly Dictionary<Guid, Guid> _owners = [];
    private readonly Dictionary<Guid, OrganisationRegistry> _organisations = [];
    private readonly Dictionary<Guid, Guid> _apiKeyOrganisations = [];

    /// <summary>Called with a role before and after each change to it (null: created or removed).</summary>
    public Action<Role?, Role?>? RoleChanged { get; init; }

    public OrganisationRegistry? Organisation(Guid orgId) => _organisations.GetValueOrDefault(orgId);

    /// <summary>The organisation an API key was created for (revoked keys included).</summary>
    public Guid? OrganisationOfApiKey(Guid keyId) => _apiKeyOrganisations.TryGetValue(keyId, out var orgId) ? orgId : null;

    /// <summary>Folds one event into its organisation's registry, which it returns (null: a stream of no organisation).</summary>
    public OrganisationRegistry? Apply(IEvent e)
    {
        if (e.Data is IStreamOpening opens) _owners.TryAdd(e.StreamId, opens.OrgId);
        if (e.Data is Organisations.ApiKeyCreated key) _apiKeyOrganisations[key.KeyId] = key.OrgId;
        if (!_owners.TryGetValue(e.StreamId, out var orgId)) return null;
        if (!_organisations.TryGetValue(orgId, out var registry))
        {
            _organisations[orgId] = registry = new OrganisationRegistry(orgId) { RoleChanged = RoleChanged };
        }
        registry.Apply(e);
        return registry;
    }
}
