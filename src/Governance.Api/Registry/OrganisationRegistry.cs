using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Proposals;
using Governance.Roles;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// One organisation's registry in memory, folded event by event with the models' own evolves
/// (<see cref="Role.Fold"/>, <see cref="Person.Fold"/>, <see cref="Organisation.Fold"/>), plus
/// the indexes questions walk: holders of each domain key, roles by circle and by filler, circles,
/// and people by e-mail and by identity-provider subject (who a token speaks for).
/// The live registry keeps one per organisation current; a replay folds one from the organisation's
/// events. Not thread-safe: <see cref="LiveRegistry"/> guards it.
/// </summary>
public sealed class OrganisationRegistry(Guid orgId)
{
    private readonly Dictionary<Guid, Role> _roles = [];
    private readonly Dictionary<Guid, Person> _people = [];
    private readonly Dictionary<Guid, long> _versions = [];
    private readonly Dictionary<string, List<DomainHolding>> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, HashSet<Guid>> _rolesInCircle = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _rolesOfPerson = [];
    private readonly HashSet<Guid> _circles = [];
    private readonly Dictionary<string, Person> _peopleByEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> _peopleBySubject = new(StringComparer.Ordinal);

    public Guid Id { get; } = orgId;

    /// <summary>Null until the organisation's founding is folded.</summary>
    public Organisation? Organisation { get; private set; }

    /// <summary>The highest sequence among the events folded.</summary>
    public long Sequence { get; private set; }

    public IReadOnlyDictionary<Guid, Role> Roles => _roles;

    public IReadOnlyDictionary<Guid, Person> People => _people;

    /// <summary>Called with a role before and after each change to it (null: created or removed).</summary>
    public Action<Role?, Role?>? RoleChanged { get; init; }

    public void Apply(IEvent e)
    {
        switch (e.Data)
        {
            case IRoleEvent change:
                SetRole(e.StreamId, Role.Fold(_roles.GetValueOrDefault(e.StreamId), change));
                break;
            case IOrganisationEvent change:
                Organisation = Organisation.Fold(Organisation, change);
                break;
            case IPersonEvent change:
                SetPerson(change.PersonId, Person.Fold(_people.GetValueOrDefault(change.PersonId), change));
                break;
            case GovernanceChangesAdopted adopted:
                _versions[adopted.CircleId] = _versions.GetValueOrDefault(adopted.CircleId) + 1;
                break;
            case IProposalEvent or Meetings.IMeetingEvent:
                // Proposals and meetings are not part of the registry; their own projections fold them.
                break;
            default:
                throw new UnfoldedEventException(e.Data);
        }
        Sequence = Math.Max(Sequence, e.Sequence);
    }

    /// <summary>The registry as a snapshot stores it (people in the order they joined).</summary>
    public (Organisation? Organisation, List<Role> Roles, List<Person> People, Dictionary<Guid, long> Versions, long Sequence) Export() =>
        (Organisation, [.. _roles.Values], [.. _people.Values], new(_versions), Sequence);

    /// <summary>Sets an empty registry to what a snapshot stored.</summary>
    public void Restore(OrganisationSnapshot.Now now)
    {
        Organisation = now.Organisation;
        foreach (var role in now.Roles)
        {
            _roles[role.Id] = role;
            Index(role);
        }
        foreach (var person in now.People) SetPerson(person.Id, person);
        foreach (var (circleId, version) in now.Versions) _versions[circleId] = version;
        Sequence = now.Sequence;
    }

    /// <summary>The registry as a snapshot (null before the founding), reflecting <paramref name="sequence"/>.</summary>
    public IRegistrySnapshot? Snapshot(DateTimeOffset asOf, long sequence) =>
        Organisation is { } organisation ? new Current(this, organisation, asOf, sequence) : null;

    /// <summary>Sets a person as an event left them (null: removed), keeping who is known by which e-mail and subject true.</summary>
    private void SetPerson(Guid personId, Person? after)
    {
        if (_people.GetValueOrDefault(personId) is { } before)
        {
            if (_peopleByEmail.GetValueOrDefault(before.NormalizedEmail)?.Id == personId) _peopleByEmail.Remove(before.NormalizedEmail);
            if (before.ExternalId is { } old && _peopleBySubject.GetValueOrDefault(old)?.Id == personId) _peopleBySubject.Remove(old);
        }
        if (after is null)
        {
            _people.Remove(personId);
            return;
        }
        _people[personId] = after;
        if (after.NormalizedEmail.Length > 0) _peopleByEmail.TryAdd(after.NormalizedEmail, after);
        if (after.ExternalId is { Length: > 0 } subject) _peopleBySubject.TryAdd(subject, after);
    }

    private void SetRole(Guid roleId, Role? after)
    {
        var before = _roles.GetValueOrDefault(roleId);
        if (ReferenceEquals(before, after)) return;
        if (before is not null) Unindex(before);
        if (after is null) _roles.Remove(roleId);
        else
        {
            _roles[roleId] = after;
            Index(after);
        }
        RoleChanged?.Invoke(before, after);
    }

    private void Index(Role role)
    {
        foreach (var holding in DomainHolding.Of(role))
        {
            (_holders.TryGetValue(holding.Key, out var holders) ? holders : _holders[holding.Key] = []).Add(holding);
        }
        if (role.CircleId is { } circle) Add(_rolesInCircle, circle, role.Id);
        foreach (var person in role.FillerIds) Add(_rolesOfPerson, person, role.Id);
        if (role.IsCircle) _circles.Add(role.Id);
    }

    private void Unindex(Role role)
    {
        foreach (var domain in role.Domains)
        {
            if (!_holders.TryGetValue(domain.Key, out var holders)) continue;
            holders.RemoveAll(h => h.RoleId == role.Id);
            if (holders.Count == 0) _holders.Remove(domain.Key);
        }
        if (role.CircleId is { } circle) Remove(_rolesInCircle, circle, role.Id);
        foreach (var person in role.FillerIds) Remove(_rolesOfPerson, person, role.Id);
        if (role.IsCircle) _circles.Remove(role.Id);
    }

    private static void Add(Dictionary<Guid, HashSet<Guid>> index, Guid key, Guid roleId) =>
        (index.TryGetValue(key, out var ids) ? ids : index[key] = []).Add(roleId);

    private static void Remove(Dictionary<Guid, HashSet<Guid>> index, Guid key, Guid roleId)
    {
        if (index.TryGetValue(key, out var ids) && ids.Remove(roleId) && ids.Count == 0) index.Remove(key);
    }

    private IEnumerable<Role> Lookup(Dictionary<Guid, HashSet<Guid>> index, Guid id) =>
        index.TryGetValue(id, out var ids) ? ids.Select(r => _roles[r]) : [];

    /// <summary>The registry as it stands, read through its indexes.</summary>
    private sealed class Current(OrganisationRegistry registry, Organisation organisation, DateTimeOffset asOf, long sequence) : IRegistrySnapshot
    {
        public Organisation Organisation => organisation;
        public DateTimeOffset AsOf => asOf;
        public long Sequence => sequence;
        public IReadOnlyDictionary<Guid, Role> Roles => registry._roles;
        public IReadOnlyDictionary<Guid, Person> People => registry._people;
        public long GovernanceVersion(Guid circleId) => registry._versions.GetValueOrDefault(circleId);
        public IReadOnlyList<DomainHolding> HoldersOf(string key) => registry._holders.GetValueOrDefault(key) ?? [];
        public IEnumerable<Role> RolesIn(Guid circleId) => registry.Lookup(registry._rolesInCircle, circleId);
        public IEnumerable<Role> RolesFilledBy(Guid personId) => registry.Lookup(registry._rolesOfPerson, personId);
        public IEnumerable<Role> Circles => registry._circles.Select(id => registry._roles[id]);

        public Person? PersonKnownAs(string? subject, string? email) =>
            (subject is { Length: > 0 } ? registry._peopleBySubject.GetValueOrDefault(subject) : null)
            ?? (email is { Length: > 0 } && registry._peopleByEmail.GetValueOrDefault(Person.Normalize(email)) is { ExternalId: null } byEmail ? byEmail : null);
    }
}
