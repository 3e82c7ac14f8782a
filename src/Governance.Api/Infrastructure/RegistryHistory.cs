using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Proposals;
using Governance.Roles;

namespace Governance.Infrastructure;

/// <summary>
/// The temporal read model: every version of every role with the time of the event that made it,
/// when each person joined and each organisation was founded, each circle's adoptions, and the
/// time and sequence of every event of each organisation. <see cref="At"/> answers "the registry
/// of this organisation as it stood at an instant" with lookups (a role: its last version at or
/// before the instant) instead of a replay, and equals <see cref="TimeTravel.ReplayAsync"/> (the
/// reference, checked by a property test over random histories). Fed by the live registry; not
/// thread-safe on its own.
/// </summary>
public sealed class RegistryHistory
{
    private readonly record struct Version(DateTimeOffset At, Role? Role);

    private sealed class OrganisationHistory(Organisation organisation, DateTimeOffset founded)
    {
        public Organisation Organisation { get; } = organisation;
        public DateTimeOffset Founded { get; } = founded;
        /// <summary>Event times in time order, with the highest sequence among the events up to each.</summary>
        public List<(DateTimeOffset At, long HighestSequence)> Events { get; } = [];
        public HashSet<Guid> Roles { get; } = [];
        public HashSet<Guid> People { get; } = [];
        public Dictionary<string, HashSet<Guid>> Holders { get; } = [];
        public Dictionary<Guid, List<DateTimeOffset>> Adoptions { get; } = [];
    }

    private readonly Dictionary<Guid, List<Version>> _roles = [];
    private readonly Dictionary<Guid, DateTimeOffset> _joined = [];
    private readonly Dictionary<Guid, Guid> _streamOrganisation = [];
    private readonly Dictionary<Guid, OrganisationHistory> _organisations = [];

    /// <summary>Records one event already folded into <paramref name="fold"/>, with the role versions it made.</summary>
    public void Record(RegistryFold fold, object e, Guid streamId, long sequence, DateTimeOffset at, IReadOnlyList<(Role? Before, Role? After)> changes)
    {
        if (OwnerOf(e) is { } owner) _streamOrganisation.TryAdd(streamId, owner);
        if (e is OrganisationFounded founded) _organisations[founded.OrgId] = new OrganisationHistory(fold.Organisations[founded.OrgId], at);
        if (!_streamOrganisation.TryGetValue(streamId, out var orgId) || !_organisations.TryGetValue(orgId, out var org)) return;

        AddEvent(org.Events, at, sequence);
        switch (e)
        {
            case PersonJoined joined:
                _joined[joined.PersonId] = at;
                org.People.Add(joined.PersonId);
                break;
            case GovernanceChangesAdopted adopted:
                (org.Adoptions.TryGetValue(adopted.CircleId, out var times) ? times : org.Adoptions[adopted.CircleId] = []).Add(at);
                break;
        }
        foreach (var (before, after) in changes)
        {
            var id = (after ?? before)!.Id;
            (_roles.TryGetValue(id, out var versions) ? versions : _roles[id] = []).Add(new Version(at, after));
            org.Roles.Add(id);
            foreach (var domain in after?.Domains ?? [])
            {
                (org.Holders.TryGetValue(domain.Key, out var holders) ? holders : org.Holders[domain.Key] = []).Add(id);
            }
        }
    }

    /// <summary>The organisation's registry as it stood at an instant; valid until the next event is recorded.</summary>
    public RegistryAt At(Guid orgId, DateTimeOffset instant, RegistryFold fold)
    {
        if (!_organisations.TryGetValue(orgId, out var org) || org.Founded > instant)
        {
            return new RegistryAt(instant, 0, null, new Dictionary<Guid, Role>(), new Dictionary<Guid, Person>(), new Dictionary<Guid, long>(), _ => []);
        }
        var roles = new View<Role>(org.Roles, id => RoleAt(id, instant) is { } role && role.OrgId == orgId ? (true, role) : (false, null!));
        var people = new View<Person>(org.People, id => (_joined[id] <= instant, fold.People[id]));
        var versions = new View<long>(org.Adoptions.Keys, circle => Count(org.Adoptions[circle], instant) is var n ? (n > 0, n) : default);
        IReadOnlyList<DomainHolding> HoldersOf(string key) =>
            org.Holders.TryGetValue(key, out var ever)
                ? [.. ever.Select(id => roles.GetValueOrDefault(id)).OfType<Role>().SelectMany(DomainHolding.Of).Where(h => h.Key == key)]
                : [];
        return new RegistryAt(instant, HighestSequence(org.Events, instant), org.Organisation, roles, people, versions, HoldersOf);
    }

    private Role? RoleAt(Guid roleId, DateTimeOffset instant)
    {
        if (!_roles.TryGetValue(roleId, out var versions)) return null;
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].At <= instant) return versions[i].Role;
        }
        return null;
    }

    private static Guid? OwnerOf(object e) => e switch
    {
        OrganisationFounded x => x.OrgId,
        PersonJoined x => x.OrgId,
        RoleCreated x => x.OrgId,
        ProposalSubmitted x => x.OrgId,
        GovernanceChangesAdopted x => x.OrgId,
        _ => null,
    };

    /// <summary>Keeps the list in time order (events arrive almost in it) and the running highest sequence true.</summary>
    private static void AddEvent(List<(DateTimeOffset At, long HighestSequence)> events, DateTimeOffset at, long sequence)
    {
        var index = events.Count;
        while (index > 0 && events[index - 1].At > at) index--;
        events.Insert(index, (at, Math.Max(sequence, index > 0 ? events[index - 1].HighestSequence : 0)));
        for (var i = index + 1; i < events.Count; i++)
        {
            events[i] = (events[i].At, Math.Max(events[i].HighestSequence, sequence));
        }
    }

    private static long HighestSequence(List<(DateTimeOffset At, long HighestSequence)> events, DateTimeOffset instant)
    {
        var upTo = UpTo(events.Count, i => events[i].At, instant);
        return upTo == 0 ? 0 : events[upTo - 1].HighestSequence;
    }

    private static long Count(List<DateTimeOffset> times, DateTimeOffset instant) => UpTo(times.Count, i => times[i], instant);

    /// <summary>How many of the first items (in time order) are at or before the instant.</summary>
    private static int UpTo(int count, Func<int, DateTimeOffset> at, DateTimeOffset instant)
    {
        var (low, high) = (0, count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (at(middle) <= instant) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>A read-only dictionary over candidate keys whose values are looked up at the instant.</summary>
    private sealed class View<T>(IEnumerable<Guid> candidates, Func<Guid, (bool Found, T Value)> lookup) : IReadOnlyDictionary<Guid, T>
    {
        public T this[Guid key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key.ToString());

        public bool TryGetValue(Guid key, out T value)
        {
            (var found, value) = candidates.Contains(key) ? lookup(key) : default;
            return found;
        }

        public bool ContainsKey(Guid key) => TryGetValue(key, out _);

        public IEnumerable<Guid> Keys => this.Select(pair => pair.Key);

        public IEnumerable<T> Values => this.Select(pair => pair.Value);

        public int Count
        {
            get
            {
                var count = 0;
                foreach (var _ in this) count++;
                return count;
            }
        }

        public IEnumerator<KeyValuePair<Guid, T>> GetEnumerator()
        {
            foreach (var key in candidates)
            {
                var (found, value) = lookup(key);
                if (found) yield return new(key, value);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
