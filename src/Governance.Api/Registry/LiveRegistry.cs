using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Governance.Organisations;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Options;

namespace Governance.Registry;

/// <summary>
/// The registry of the organisations in use, in memory, kept current by following the event store:
/// every registry read, "who decides?" included, is a walk through dictionaries instead of database
/// round trips. An organisation is loaded on its first read (all of its events, read by its streams)
/// and dropped when no read has used it for <see cref="RegistryOptions.IdleAfter"/> or when memory is
/// over <see cref="RegistryOptions.MemoryBudgetMB"/>, so start-up reads no organisation at all and memory
/// follows what is in use, not the size of the store. It reads events in sequence order after its
/// <see cref="SequenceWatermark"/>: right after each local commit, on each commit notification of
/// another instance, and every <see cref="PollInterval"/>. A question first waits until every commit
/// this process made before it is folded in. Events are folded once per stream version. A gap in the
/// sequence (a transaction still open, or rolled back) holds the watermark back, so events above it
/// are read again each round until a <see cref="SequenceFence"/> settles it: a late commit is always
/// read, however late. Loads run between two rounds of that reading, so an organisation's event is
/// either in what its load read or in what the following rounds read.
/// </summary>
public sealed partial class LiveRegistry : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    /// <summary>A gap held open longer than this is logged as a warning, naming the transactions that hold it.</summary>
    public static readonly TimeSpan LongGap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan FreshnessTimeout = TimeSpan.FromSeconds(10);
    /// <summary>An organisation read this recently is never dropped for the memory budget.</summary>
    private static readonly TimeSpan InUse = TimeSpan.FromSeconds(1);
    private const int BatchSize = 5_000;

    private readonly IDocumentStore _store;
    private readonly CommitSignal _commits;
    private readonly Lexicon _lexicon;
    private readonly RegistryOptions _options;
    private readonly ILogger<LiveRegistry> _logger;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly RegistryFold _fold = new();
    private readonly SequenceWatermark _watermark = new();
    private readonly SequenceFence _fences;
    /// <summary>Organisations a read waits for, loaded by the next round.</summary>
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _loads = new();
    /// <summary>Observed after a read that left a gap; it settles once its transactions have ended.</summary>
    private (SequenceFence.Fence Fence, DateTimeOffset Since, bool Warned)? _fence;
    /// <summary>Every sequence at or below is committed or gone for good (from the last settled fence).</summary>
    private long _settled;
    /// <summary>False until the position to follow from, the organisations and their API keys are read.</summary>
    private bool _begun;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    /// <summary>Completes when the current round of reading ends: true if it read the event store, false if that failed.</summary>
    private TaskCompletionSource<bool> _round = NewRound();
    private long _sequence;
    private long _followedCommits = -1;
    /// <summary>When the last completed read of the event store started (UTC ticks).</summary>
    private long _readFrom;
    /// <summary>True between two batches of one round: the last batch may have ended inside a transaction's events.</summary>
    private bool _partial;
    /// <summary>The same instant as a <see cref="Stopwatch"/> timestamp.</summary>
    private long _readAt = Stopwatch.GetTimestamp();

    public LiveRegistry(IDocumentStore store, CommitSignal commits, Lexicon lexicon, SequenceFence fences, IOptions<RegistryOptions> options, ILogger<LiveRegistry> logger)
    {
        (_store, _commits, _lexicon, _fences, _options, _logger) = (store, commits, lexicon, fences, options.Value, logger);
        _commits.Committed += Wake;
    }

    /// <summary>True once the registry has read the whole event store at least once.</summary>
    public bool CaughtUp => Interlocked.Read(ref _followedCommits) >= 0;

    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>When the last completed read of the event store started (system time, compared with <c>asOf</c> instants).</summary>
    public DateTimeOffset LastRead => new(Interlocked.Read(ref _readFrom), TimeSpan.Zero);

    /// <summary>How long ago the last completed read of the event store started, by a clock no system time change moves.</summary>
    public TimeSpan SinceLastRead => Stopwatch.GetElapsedTime(Interlocked.Read(ref _readAt));

    /// <summary>Lexemes of question words; learn a question's words before reading.</summary>
    public Lexicon Lexicon => _lexicon;

    /// <summary>The organisations in memory and the events they hold.</summary>
    public (int Organisations, long Events) InMemory
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (_fold.Loaded.Count, _fold.Loaded.Sum(o => o.Events));
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>True when the organisation is in memory (its next read needs no load).</summary>
    public bool Holds(Guid orgId)
    {
        _lock.EnterReadLock();
        try
        {
            return _fold.Organisation(orgId) is not null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs a read of one organisation on a registry that reflects at least every commit made here
    /// before the call; with <paramref name="asOf"/>, a read of the organisation's history, reflecting every
    /// commit anywhere before that instant (a read of the event store started after it): what a question <c>asOf</c> a recent instant needs.
    /// </summary>
    public async Task<T> ReadAsync<T>(Guid orgId, Func<RegistryView, T> read, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        await FreshAsync(asOf ?? DateTimeOffset.MinValue, readAfterTimestamp: 0, whole: false, ct);
        T result;
        while (TryRead(orgId, read, whole: false, history: asOf is not null, out result) == Outcome.NotLoaded) await RequestLoadAsync(orgId, ct);
        return result;
    }

    /// <summary>Runs a read on one organisation, now or at a past instant (null: no such organisation then).</summary>
    public Task<T> ReadAsync<T>(Guid orgId, DateTimeOffset? asOf, Func<IRegistrySnapshot?, T> read, CancellationToken ct) =>
        ReadAsync(orgId, view => read(view.Of(asOf)), ct, asOf);

    /// <summary>
    /// Runs a read of one organisation on a registry that reflects every commit made anywhere before the call (a read of
    /// the event store started after it, by a clock no system time change moves): what a write judges its changes against.
    /// </summary>
    public async Task<T> ReadFreshAsync<T>(Guid orgId, Func<RegistryView, T> read, CancellationToken ct)
    {
        var asked = Stopwatch.GetTimestamp();
        while (true)
        {
            await FreshAsync(DateTimeOffset.MinValue, asked, whole: true, ct);
            switch (TryRead(orgId, read, whole: true, history: false, out var result))
            {
                case Outcome.Read:
                    return result;
                case Outcome.NotLoaded:
                    await RequestLoadAsync(orgId, ct);
                    break;
            }
        }
    }

    /// <summary>The organisation an API key was created for (null: no such key), as of every commit made here before the call.</summary>
    public async Task<Guid?> OrganisationOfApiKeyAsync(Guid keyId, CancellationToken ct)
    {
        await FreshAsync(DateTimeOffset.MinValue, readAfterTimestamp: 0, whole: false, ct);
        _lock.EnterReadLock();
        try
        {
            return _fold.OrganisationOfApiKey(keyId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private enum Outcome { Read, Partial, NotLoaded }

    /// <summary>
    /// Reads one organisation under the read lock: not when it exists but is not in memory (or, for a read of
    /// its <paramref name="history"/>, when that is still packed), and with <paramref name="whole"/>, not between two batches of a round.
    /// </summary>
    private Outcome TryRead<T>(Guid orgId, Func<RegistryView, T> read, bool whole, bool history, out T result)
    {
        result = default!;
        _lock.EnterReadLock();
        try
        {
            // Between two batches of a long catch-up a transaction may be folded in part: not a state to judge a write on.
            if (whole && _partial) return Outcome.Partial;
            var organisation = _fold.Organisation(orgId);
            if (organisation is null ? _fold.Exists(orgId) : history && organisation.HistoryPacked) return Outcome.NotLoaded;
            organisation?.Use();
            result = read(new RegistryView(organisation, _lexicon, _sequence));
            return Outcome.Read;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Runs a change of what readers see under the write lock.</summary>
    private void Locked(Action change)
    {
        _lock.EnterWriteLock();
        try
        {
            change();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Where following starts: at the highest sequence handed out, once no open transaction can still
    /// commit below it; and what is known of every organisation up to there (that it exists, its API
    /// keys). No organisation is loaded: start-up does not grow with the store.
    /// </summary>
    private async Task BeginAsync(CancellationToken ct)
    {
        long? settled;
        while ((settled = await _fences.SettleAsync(LongGap, ct)) is null)
        {
            _logger.LogWarning("A transaction has held event sequence numbers for over {Seconds} s; the registry waits for it to end before following the event store.", LongGap.TotalSeconds);
        }
        var high = settled.Value;
        await using var session = _store.QuerySession();
        var owners = $"{_store.Options.DatabaseSchemaName}.mt_doc_streamowner";
        // An organisation's own stream has the organisation's id.
        var organisations = await session.QueryAsync<Guid>($"select id from {owners} where id = org_id", ct);
        var keys = await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(ApiKeyCreated))).ToListAsync(ct);
        _lock.EnterWriteLock();
        try
        {
            foreach (var orgId in organisations) _fold.Know(orgId);
            foreach (var key in keys) _fold.Know((ApiKeyCreated)key.Data);
            _watermark.Start(high);
            (_settled, _sequence) = (high, high);
            _begun = true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("The live registry follows the event store from sequence {Sequence}; {Organisations} organisations load on first use.", high, organisations.Count);
        }
    }

    /// <summary>
    /// Reads and folds every event after the watermark, in batches. Within one round each batch
    /// starts after the previous one (a gap that holds the watermark back is looked at again in
    /// the next round), so a round ends even when many events follow an open gap.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken ct)
    {
        // Settled before this round's reads begin, so they see every commit at or below it.
        var settled = await SettledAsync(ct);
        var readUpTo = _watermark.Value;
        while (true)
        {
            await using var session = _store.QuerySession();
            var start = readUpTo;
            var batch = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > start).OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(ct);
            if (batch.Count > 0) readUpTo = batch[^1].Sequence;
            var full = batch.Count == BatchSize;

            var touched = new HashSet<LiveOrganisation>();
            _lock.EnterWriteLock();
            try
            {
                foreach (var e in batch)
                {
                    _watermark.Read(e.Sequence);
                    if (_fold.Apply(e) is { } organisation) touched.Add(organisation);
                    _sequence = Math.Max(_sequence, e.Sequence);
                }
                _partial = full;
                // A full batch read only up to its last event; the rest of the settled range comes in the next batch.
                foreach (var (from, to) in _watermark.Advance(full ? Math.Min(settled, readUpTo) : settled))
                {
                    if (_logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("Event sequences {From}..{To} were never committed (rolled back); reading goes on after them.", from, to);
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
            foreach (var organisation in touched) await IndexTextAsync(organisation, installed: true, ct);
            if (!full) break;
        }
        // A gap left open: find out which transactions may still fill it, to settle it in a later round.
        if (_watermark.HasGap && _fence is null)
        {
            var fence = await _fences.ObserveAsync(ct);
            if (fence.Settled) _settled = fence.High;
            else _fence = (fence, DateTimeOffset.UtcNow, false);
        }
    }

    /// <summary>The highest sequence known settled, after checking whether the open fence's transactions have ended.</summary>
    private async Task<long> SettledAsync(CancellationToken ct)
    {
        if (_fence is not { } open) return _settled;
        if (await _fences.IsSettledAsync(open.Fence, ct))
        {
            _settled = open.Fence.High;
            _fence = null;
        }
        else if (!open.Warned && DateTimeOffset.UtcNow - open.Since > LongGap)
        {
            _logger.LogWarning("Transactions {Holders} have held event sequence numbers at or below {High} for over {Seconds} s: events above the gap are read again each round and exports wait (503) until they end.",
                string.Join(", ", open.Fence.Holders), open.Fence.High, LongGap.TotalSeconds);
            _fence = open with { Warned = true };
        }
        return _settled;
    }

    /// <summary>
    /// Indexes the words of an organisation's roles that changed, once their lexemes are known; under the
    /// write lock when the organisation is <paramref name="installed"/> (readers see it).
    /// </summary>
    private async Task IndexTextAsync(LiveOrganisation organisation, bool installed, CancellationToken ct)
    {
        var changed = organisation.TakeTextChanges();
        if (changed.Count == 0) return;
        // A role restored from a snapshot came with its words' lexemes.
        await _lexicon.LearnAsync(changed.Where(c => c is { NewWords: true, Role: not null }).SelectMany(c => TextIndex.WordsOf(c.Role!)), remember: true, ct);
        if (installed) _lock.EnterWriteLock();
        try
        {
            foreach (var (id, role, _) in changed) organisation.Text.Replace(id, role, _lexicon);
        }
        finally
        {
            if (installed) _lock.ExitWriteLock();
        }
    }

    private static TaskCompletionSource<bool> NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        _commits.Committed -= Wake;
        _lock.Dispose();
        base.Dispose();
    }
}
