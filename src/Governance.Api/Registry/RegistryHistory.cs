using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Roles;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// The temporal read model: every version of every role with the time of the event that made it,
/// every version of every person (joined, changed, removed), when the organisation was founded, each circle's adoptions, and the time
/// and sequence of every event of each organisation. <see cref="At"/> answers "the registry of this
/// organisation as it stood at an instant" with lookups (a role: its last version at or before the
/// instant) instead of a replay, and equals <see cref="Replay"/> (the reference, checked by a
/// property test over random histories). Fed by the live registry; not thread-safe on its own.
/// </summary>
public sealed class RegistryHistory(RegistryHistory.State state)
{
    /// <summary>A role as one event left it (null: removed), at the event's time.</summary>
    public readonly record struct Version(DateTimeOffset At, Role? Role);

    /// <summary>A person as one event left them (null: removed), at the event's time.</summary>
    public readonly record struct PersonVersion(DateTimeOffset At, Person? Person);

    /// <summary>An event's time, with the highest sequence among the events up to it.</summary>
    public readonly record struct EventTime(DateTimeOffset At, long HighestSequence);

    /// <summary>The history of one organisation: what a snapshot stores and restores.</summary>
    public sealed class State
    {
        public Organisation? Organisation { get; set; }
        public DateTimeOffset Founded { get; set; }
        /// <summary>Event times in time order.</summary>
        public List<EventTime> Events { get; init; } = [];
        public Dictionary<Guid, List<Version>> Roles { get; init; } = [];
        /// <summary>Every version of each person, people in the order they joined.</summary>
        public Dictionary<Guid, List<PersonVersion>> People { get; init; } = [];
        /// <summary>Every role that ever held each key.</summary>
        public Dictionary<string, HashSet<Guid>> Holders { get; init; } = new(StringComparer.Ordinal);
        public Dictionary<Guid, List<DateTimeOffset>> Adoptions { get; init; } = [];
    }

    public RegistryHistory()
        : this(new State())
    {
    }

    /// <summary>
    /// The whole history from a snapshot's history and the one recorded after the snapshot was restored
    /// (<paramref name="earlier"/> is taken over).
    /// </summary>
    public static RegistryHistory Merge(State earlier, State later)
    {
        earlier.Organisation = later.Organisation ?? earlier.Organisation;
        foreach (var e in later.Events) AddEvent(earlier.Events, e.At, e.HighestSequence);
        foreach (var (id, versions) in later.Roles) (earlier.Roles.TryGetValue(id, out var all) ? all : earlier.Roles[id] = []).AddRange(versions);
        foreach (var (id, versions) in later.People) (earlier.People.TryGetValue(id, out var all) ? all : earlier.People[id] = []).AddRange(versions);
        foreach (var (key, holders) in later.Holders) (earlier.Holders.TryGetValue(key, out var all) ? all : earlier.Holders[key] = []).UnionWith(holders);
        foreach (var (circleId, times) in later.Adoptions) (earlier.Adoptions.TryGetValue(circleId, out var all) ? all : earlier.Adoptions[circleId] = []).AddRange(times);
        return new RegistryHistory(earlier);
    }

    /// <summary>The recorded history, for a snapshot (read it where no event is being recorded).</summary>
    public State Recorded => state;

    /// <summary>Records one event already folded into the organisation's registry, with the role versions it made.</summary>
    public void Record(OrganisationRegistry registry, IEvent e, IReadOnlyList<(Role? Before, Role? After)> changes)
    {
        var at = e.Timestamp;
        var org = state;
        AddEvent(org.Events, at, e.Sequence);
        switch (e.Data)
        {
            case OrganisationFounded:
                (org.Organisation, org.Founded) = (registry.Organisation, at);
                break;
            case IOrganisationEvent:
                // Admins and keys are not registry facts read as of an instant; the name and Anchor Circle never change.
                org.Organisation = registry.Organisation;
                break;
            case IPersonEvent change:
                (org.People.TryGetValue(change.PersonId, out var people) ? people : org.People[change.PersonId] = [])
                    .Add(new PersonVersion(at, registry.People.GetValueOrDefault(change.PersonId)));
                break;
            case GovernanceChangesAdopted adopted:
                (org.Adoptions.TryGetValue(adopted.CircleId, out var times) ? times : org.Adoptions[adopted.CircleId] = []).Add(at);
                break;
        }
        foreach (var (before, after) in changes)
        {
            var id = (after ?? before)!.Id;
            (org.Roles.TryGetValue(id, out var versions) ? versions : org.Roles[id] = []).Add(new Version(at, after));
            foreach (var domain in after?.Domains ?? [])
            {
                (org.Holders.TryGetValue(domain.Key, out var holders) ? holders : org.Holders[domain.Key] = []).Add(id);
            }
        }
    }

    /// <summary>The organisation's registry as it stood at an instant (null: not founded by then); valid until the next event is recorded.</summary>
    public IRegistrySnapshot? At(DateTimeOffset instant) =>
        state.Organisation is { } organisation && state.Founded <= instant ? new Past(state, organisation, instant) : null;

    /// <summary>Keeps the list in time order (events arrive almost in it) and the running highest sequence true.</summary>
    private static void AddEvent(List<EventTime> events, DateTimeOffset at, long sequence)
    {
        var index = events.Count;
        while (index > 0 && events[index - 1].At > at) index--;
        events.Insert(index, new EventTime(at, Math.Max(sequence, index > 0 ? events[index - 1].HighestSequence : 0)));
        for (var i = index + 1; i < events.Count; i++)
        {
            events[i] = events[i] with { HighestSequence = Math.Max(events[i].HighestSequence, sequence) };
        }
    }

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

    /// <summary>The organisation at an instant: each read looks the instant up in the versions.</summary>
    private sealed class Past(State org, Organisation organisation, DateTimeOffset instant) : IRegistrySnapshot
    {
        private readonly View<Role> _roles = new(org.Roles.Keys, id => RoleAt(org.Roles[id], instant) is { } role ? (true, role) : (false, null!));
        private readonly View<Person> _people = new(org.People.Keys, id => At(org.People[id], v => v.At, instant) is { Person: { } person } ? (true, person) : (false, null!));

        public Organisation Organisation => organisation;
        public DateTimeOffset AsOf => instant;

        public long Sequence
        {
            get
            {
                var upTo = UpTo(org.Events.Count, i => org.Events[i].At, instant);
                return upTo == 0 ? 0 : org.Events[upTo - 1].HighestSequence;
            }
        }

        public IReadOnlyDictionary<Guid, Role> Roles => _roles;
        public IReadOnlyDictionary<Guid, Person> People => _people;

        public long GovernanceVersion(Guid circleId) =>
            org.Adoptions.TryGetValue(circleId, out var times) ? UpTo(times.Count, i => times[i], instant) : 0;

        public IReadOnlyList<DomainHolding> HoldersOf(string key) =>
            org.Holders.TryGetValue(key, out var ever)
                ? [.. ever.Select(id => _roles.GetValueOrDefault(id)).OfType<Role>().SelectMany(DomainHolding.Of).Where(h => h.Key == key)]
                : [];

        public IEnumerable<Role> RolesIn(Guid circleId) => _roles.Values.Where(r => r.CircleId == circleId);
        public IEnumerable<Role> RolesFilledBy(Guid personId) => _roles.Values.Where(r => r.FillerIds.Contains(personId));
        public IEnumerable<Role> Circles => _roles.Values.Where(r => r.IsCircle);

        public Person? PersonKnownAs(string? subject, string? email) =>
            (subject is { Length: > 0 } ? _people.Values.FirstOrDefault(p => p.ExternalId == subject) : null)
            ?? (email is { Length: > 0 } ? _people.Values.FirstOrDefault(p => p.ExternalId is null && p.NormalizedEmail == Person.Normalize(email)) : null);

        private static Role? RoleAt(List<Version> versions, DateTimeOffset instant) => At(versions, v => v.At, instant)?.Role;

        /// <summary>The last version recorded at or before the instant (null: none yet).</summary>
        private static T? At<T>(List<T> versions, Func<T, DateTimeOffset> at, DateTimeOffset instant) where T : struct
        {
            for (var i = versions.Count - 1; i >= 0; i--)
            {
                if (at(versions[i]) <= instant) return versions[i];
            }
            return null;
        }
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
