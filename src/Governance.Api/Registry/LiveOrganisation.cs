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
    /// <summary>The history as a snapshot stored it, until a question about the past needs it.</summary>
    private byte[]? _packedHistory;
    private readonly List<(Role? Before, Role? After)> _changes = [];
    private readonly HashSet<Guid> _textChanged = [];
    /// <summary>Roles restored from a snapshot and not indexed yet, whose words' lexemes the snapshot taught the lexicon.</summary>
    private readonly HashSet<Guid> _textRestored = [];
    private long _lastUsed = Stopwatch.GetTimestamp();

    public LiveOrganisation(Guid orgId)
    {
        Registry = new OrganisationRegistry(orgId) { RoleChanged = (before, after) => _changes.Add((before, after)) };
        _streams = [];
    }

    private LiveOrganisation(Guid orgId, Dictionary<Guid, long> streams)
        : this(orgId) => _streams = streams;

    /// <summary>
    /// The organisation as a snapshot left it, its history still packed (events folded from now on are recorded
    /// apart and merged in by <see cref="UnpackHistory"/>); every role's words are to be indexed, and the lexicon learns their lexemes.
    /// </summary>
    public static LiveOrganisation Restore(OrganisationSnapshot snapshot, Lexicon lexicon)
    {
        var now = snapshot.ReadNow();
        foreach (var (word, lexemes) in now.Lexemes) lexicon.Remember(word, lexemes);
        var organisation = new LiveOrganisation(snapshot.Id, now.Streams) { Events = now.Events, SnapshotEvents = now.Events, _packedHistory = snapshot.History };
        organisation.Registry.Restore(now);
        foreach (var id in organisation.Registry.Roles.Keys) organisation._textRestored.Add(id);
        return organisation;
    }

    /// <summary>True while the history is still packed as the snapshot left it: <see cref="History"/> then lacks what came before.</summary>
    public bool HistoryPacked => _packedHistory is not null;

    /// <summary>The packed history read out (null: not packed); safe beside reads and folds, it changes nothing.</summary>
    public RegistryHistory.State? ReadPackedHistory() => _packedHistory is { } packed ? OrganisationSnapshot.Unpack<RegistryHistory.State>(packed) : null;

    /// <summary>Puts the packed history, read out, in front of what was recorded since: the whole history again.</summary>
    public void UnpackHistory(RegistryHistory.State packed)
    {
        History = RegistryHistory.Merge(packed, History.Recorded);
        _packedHistory = null;
    }

    /// <summary>What a snapshot stores, with the history packed (it must not be packed as restored: unpack it first).</summary>
    public OrganisationSnapshot Snapshot(long watermark, DateTimeOffset at, Lexicon lexicon)
    {
        if (HistoryPacked) throw new InvalidOperationException("Unpack the history before taking a snapshot.");
        var (organisation, roles, people, versions, sequence) = Registry.Export();
        var lexemes = roles.SelectMany(TextIndex.WordsOf).Distinct(StringComparer.Ordinal).ToDictionary(w => w, w => lexicon.Of(w).ToArray(), StringComparer.Ordinal);
        return OrganisationSnapshot.Of(Id, new OrganisationSnapshot.Now(organisation, roles, people, versions, sequence, new(_streams), Events, lexemes),
            OrganisationSnapshot.Pack(History.Recorded), watermark, at);
    }

    public Guid Id => Registry.Id;

    public OrganisationRegistry Registry { get; }

    /// <summary>The temporal model; while <see cref="HistoryPacked"/>, only what was recorded since the snapshot.</summary>
    public RegistryHistory History { get; private set; } = new();

    public TextIndex Text { get; } = new();

    public IEnumerable<Guid> Streams => _streams.Keys;

    /// <summary>How many events are folded in: what the registry's memory budget counts.</summary>
    public long Events { get; private set; }

    /// <summary>How many were folded in when the last snapshot was stored or restored.</summary>
    public long SnapshotEvents { get; private set; }

    /// <summary>Notes a snapshot stored of the first <paramref name="events"/> events.</summary>
    public void Snapshotted(long events) => SnapshotEvents = events;

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

    /// <summary>
    /// The roles to index again since the last call, as they stand now (null: removed); <c>NewWords</c> is false for one
    /// restored from a snapshot and unchanged since, whose lexemes the lexicon already knows.
    /// </summary>
    public IReadOnlyList<(Guid Id, Role? Role, bool NewWords)> TakeTextChanges()
    {
        if (_textChanged.Count == 0 && _textRestored.Count == 0) return [];
        _textRestored.ExceptWith(_textChanged);
        List<(Guid, Role?, bool)> changed =
        [
            .. _textChanged.Select(id => (id, Registry.Roles.GetValueOrDefault(id), true)),
            .. _textRestored.Select(id => (id, Registry.Roles.GetValueOrDefault(id), false)),
        ];
        _textChanged.Clear();
        _textRestored.Clear();
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
