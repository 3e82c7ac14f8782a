using System.Diagnostics;
using Governance.Roles;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// One organisation as the live registry holds it in memory: its registry as it stands, its history
/// (the temporal model), its free-text index, and the version of each of its streams folded, so an
/// event is folded once whether the loader or the follower of the event store reads it first.
/// Not thread-safe: <see cref="LiveRegistry"/> guards it.
/// </summary>
public sealed class LiveOrganisation
{
    private readonly Dictionary<Guid, long> _streams;
    private readonly List<(Role? Before, Role? After)> _changes = [];
    private readonly HashSet<Guid> _textChanged = [];
    private long _lastUsed = Stopwatch.GetTimestamp();

    public LiveOrganisation(Guid orgId)
        : this(orgId, new RegistryHistory(), [])
    {
    }

    private LiveOrganisation(Guid orgId, RegistryHistory history, Dictionary<Guid, long> streams)
    {
        Registry = new OrganisationRegistry(orgId) { RoleChanged = (before, after) => _changes.Add((before, after)) };
        (History, _streams) = (history, streams);
    }

    /// <summary>The organisation as a snapshot left it; every role's words are to be indexed.</summary>
    public static LiveOrganisation Restore(Guid orgId, OrganisationSnapshot.Fold fold)
    {
        var organisation = new LiveOrganisation(orgId, new RegistryHistory(fold.History), fold.Streams) { Events = fold.Events, SnapshotEvents = fold.Events };
        organisation.Registry.Restore(fold.History);
        foreach (var id in organisation.Registry.Roles.Keys) organisation._textChanged.Add(id);
        return organisation;
    }

    /// <summary>What a snapshot stores (shares the state: store it before the next event is folded).</summary>
    public OrganisationSnapshot.Fold Snapshot()
    {
        SnapshotEvents = Events;
        return new OrganisationSnapshot.Fold(History.Recorded, _streams, Events);
    }

    public Guid Id => Registry.Id;

    public OrganisationRegistry Registry { get; }

    public RegistryHistory History { get; }

    public TextIndex Text { get; } = new();

    public IEnumerable<Guid> Streams => _streams.Keys;

    /// <summary>How many events are folded in: what the registry's memory budget counts.</summary>
    public long Events { get; private set; }

    /// <summary>How many were folded in when the last snapshot was taken or restored.</summary>
    public long SnapshotEvents { get; private set; }

    /// <summary>When a read last used it (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastUsed => Interlocked.Read(ref _lastUsed);

    /// <summary>Notes a read; safe under the registry's read lock.</summary>
    public void Use() => Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());

    /// <summary>Folds one of the organisation's events unless its stream already has that version (false then).</summary>
    public bool Fold(IEvent e)
    {
        if (e.Version <= _streams.GetValueOrDefault(e.StreamId)) return false;
        Registry.Apply(e);
        History.Record(Registry, e, _changes);
        foreach (var (before, after) in _changes) NoteTextChange(before, after);
        _changes.Clear();
        _streams[e.StreamId] = e.Version;
        Events++;
        return true;
    }

    /// <summary>The roles whose words changed since the last call, as they stand now (null: removed).</summary>
    public IReadOnlyList<(Guid Id, Role? Role)> TakeTextChanges()
    {
        if (_textChanged.Count == 0) return [];
        List<(Guid, Role?)> changed = [.. _textChanged.Select(id => (id, Registry.Roles.GetValueOrDefault(id)))];
        _textChanged.Clear();
        return changed;
    }

    private void NoteTextChange(Role? before, Role? after)
    {
        if (before is null || after is null || before.Name != after.Name || before.Purpose != after.Purpose
            || !ReferenceEquals(before.Accountabilities, after.Accountabilities) || !ReferenceEquals(before.Domains, after.Domains))
        {
            _textChanged.Add((before ?? after)!.Id);
        }
    }
}
