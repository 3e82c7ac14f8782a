using Governance.Roles;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// The registry of every organisation, folded from the whole event store: each event goes to the
/// organisation that owns its stream (known from the stream's opening event, <see cref="IOpensStream"/>).
/// Not thread-safe: <see cref="LiveRegistry"/> guards it.
/// </summary>
public sealed class RegistryFold
{
    private readonly Dictionary<Guid, Guid> _owners = [];
    private readonly Dictionary<Guid, OrganisationRegistry> _organisations = [];

    /// <summary>Called with the organisation and a role before and after each change to it.</summary>
    public Action<OrganisationRegistry, Role?, Role?>? RoleChanged { get; init; }

    public OrganisationRegistry? Organisation(Guid orgId) => _organisations.GetValueOrDefault(orgId);

    /// <summary>Folds one event into its organisation's registry, which it returns (null: a stream of no organisation).</summary>
    public OrganisationRegistry? Apply(IEvent e)
    {
        if (e.Data is IOpensStream opens) _owners.TryAdd(e.StreamId, opens.OrgId);
        if (!_owners.TryGetValue(e.StreamId, out var orgId)) return null;
        if (!_organisations.TryGetValue(orgId, out var registry))
        {
            OrganisationRegistry created = null!;
            created = new OrganisationRegistry(orgId) { RoleChanged = (before, after) => RoleChanged?.Invoke(created, before, after) };
            _organisations[orgId] = registry = created;
        }
        registry.Apply(e);
        return registry;
    }
}
