using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Roles;

namespace Governance.Infrastructure;

/// <summary>
/// The registry event by event, in memory: the same folds as the inline projections (their own
/// Apply methods), plus the indexes questions need (holders of a domain key, roles by circle and
/// by filler). It serves the live registry of every organisation, replays to a past instant and
/// the verify command. Not thread-safe: <see cref="DecisionRights.LiveRegistry"/> guards it.
/// </summary>
public sealed class RegistryFold
{
    private readonly Dictionary<Guid, Dictionary<string, List<DomainHolding>>> _holdings = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _rolesInCircle = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _rolesOfPerson = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _circlesOfOrg = [];

    public Dictionary<Guid, Organisation> Organisations { get; } = [];
    public Dictionary<Guid, Role> Roles { get; } = [];
    public Dictionary<Guid, Person> People { get; } = [];
    /// <summary>Governance records adopted per circle: the version of its governance log.</summary>
    public Dictionary<Guid, long> Versions { get; } = [];

    /// <summary>Called with the role before and after each change (null: created or removed).</summary>
    public Action<Role?, Role?>? RoleChanged { get; init; }

    /// <summary>The organisation, when the fold holds exactly one (a replay of one organisation).</summary>
    public Organisation? Organisation => Organisations.Count == 1 ? Organisations.Values.First() : null;

    public void Apply(object e)
    {
        switch (e)
        {
            case OrganisationFounded x: Organisations[x.OrgId] = OrganisationProjection.Create(x); break;
            case PersonJoined x: People[x.PersonId] = PersonProjection.Create(x); break;
            case RoleCreated x: Set(x.RoleId, RoleProjection.Create(x)); break;
            case RoleRemoved x: Set(x.RoleId, null); break;
            case GovernanceChangesAdopted x: Versions[x.CircleId] = Versions.GetValueOrDefault(x.CircleId) + 1; break;
            case RoleRenamed x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case RolePurposeChanged x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case AccountabilityAdded x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case AccountabilityRemoved x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case DomainDelegated x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case DomainRevoked x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case RoleConvertedToCircle x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case RoleMoved x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case PersonAssignedToRole x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case PersonUnassignedFromRole x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case PersonElectedToRole x: Update(x.RoleId, r => RoleProjection.Apply(x, r)); break;
            case PolicyAdopted x: Update(x.CircleId, r => RoleProjection.Apply(x, r)); break;
            case PolicyAmended x: Update(x.CircleId, r => RoleProjection.Apply(x, r)); break;
            case PolicyRemoved x: Update(x.CircleId, r => RoleProjection.Apply(x, r)); break;
        }
    }

    /// <summary>The roles that hold exactly this key in the organisation (a line of delegation).</summary>
    public IReadOnlyList<DomainHolding> HoldersOf(Guid orgId, string key) =>
        _holdings.TryGetValue(orgId, out var byKey) && byKey.TryGetValue(key, out var holders) ? holders : [];

    public IEnumerable<Role> RolesInCircle(Guid circleId) => Lookup(_rolesInCircle, circleId);

    public IEnumerable<Role> RolesFilledBy(Guid personId) => Lookup(_rolesOfPerson, personId);

    public IEnumerable<Role> CirclesOf(Guid orgId) => Lookup(_circlesOfOrg, orgId);

    /// <summary>What questions about the organisation are resolved against.</summary>
    public DecisionRights.RegistryFacts FactsOf(Organisation org) =>
        new(org.AnchorCircleId, key => HoldersOf(org.Id, key), Roles, People);

    private IEnumerable<Role> Lookup(Dictionary<Guid, HashSet<Guid>> index, Guid id) =>
        index.TryGetValue(id, out var ids) ? ids.Select(r => Roles[r]) : [];

    private void Update(Guid roleId, Func<Role, Role> apply)
    {
        if (Roles.TryGetValue(roleId, out var role)) Set(roleId, apply(role));
    }

    private void Set(Guid roleId, Role? now)
    {
        Roles.TryGetValue(roleId, out var before);
        if (before is not null) Unindex(before);
        if (now is null) Roles.Remove(roleId);
        else
        {
            Roles[roleId] = now;
            Index(now);
        }
        RoleChanged?.Invoke(before, now);
    }

    private void Index(Role role)
    {
        var byKey = _holdings.TryGetValue(role.OrgId, out var found) ? found : _holdings[role.OrgId] = [];
        foreach (var holding in DomainHolding.Of(role))
        {
            (byKey.TryGetValue(holding.Key, out var holders) ? holders : byKey[holding.Key] = []).Add(holding);
        }
        if (role.CircleId is { } circle) Add(_rolesInCircle, circle, role.Id);
        foreach (var person in role.FillerIds) Add(_rolesOfPerson, person, role.Id);
        if (role.IsCircle) Add(_circlesOfOrg, role.OrgId, role.Id);
    }

    private void Unindex(Role role)
    {
        if (_holdings.TryGetValue(role.OrgId, out var byKey))
        {
            foreach (var domain in role.Domains)
            {
                if (!byKey.TryGetValue(domain.Key, out var holders)) continue;
                holders.RemoveAll(h => h.RoleId == role.Id);
                if (holders.Count == 0) byKey.Remove(domain.Key);
            }
        }
        if (role.CircleId is { } circle) Remove(_rolesInCircle, circle, role.Id);
        foreach (var person in role.FillerIds) Remove(_rolesOfPerson, person, role.Id);
        if (role.IsCircle) Remove(_circlesOfOrg, role.OrgId, role.Id);
    }

    private static void Add(Dictionary<Guid, HashSet<Guid>> index, Guid key, Guid roleId) =>
        (index.TryGetValue(key, out var ids) ? ids : index[key] = []).Add(roleId);

    private static void Remove(Dictionary<Guid, HashSet<Guid>> index, Guid key, Guid roleId)
    {
        if (index.TryGetValue(key, out var ids) && ids.Remove(roleId) && ids.Count == 0) index.Remove(key);
    }
}
