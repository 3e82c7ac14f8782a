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
/// round trips. An organisation is loaded on its first read (LiveRegistry.Loading.cs: its snapshot and
/// the events after it, or all of its events) and dropped when no read has used it for <see cref="RegistryOptions.IdleAfter"/> or when memory is
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
    /// <summary>Whether the organisations in use were reported over the memory budget (once per process).</summary>
    private bool _overBudgetReported;
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

    /// <summary>
    /// Every event at or below this sequence is committed and folded (or rolled back for good): an event
    /// committed from now on has a higher one.
    /// </summary>
    public long Watermark => Read(() => _watermark.Value);

    /// <summary>When the last completed read of the event store started (system time, compared with <c>asOf</c> instants).</summary>
    public DateTimeOffset LastRead => new(Interlocked.Read(ref _readFrom), TimeSpan.Zero);

    /// <summary>How long ago the last completed read of the event store started, by a clock no system time change moves.</summary>
    public TimeSpan SinceLastRead => Stopwatch.GetElapsedTime(Interlocked.Read(ref _readAt));

    /// <summary>Lexemes of question words; learn a question's words before reading.</summary>
    public Lexicon Lexicon => _lexicon;

    /// <summary>Reads the event store now rather than at the next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var commits = _commits.Commits;
            var (started, startedAt) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
            var read = false;
            try
            {
                if (!_begun) await BeginAsync(stoppingToken);
                await CatchUpAsync(stoppingToken);
                Interlocked.Exchange(ref _followedCommits, commits);
                Interlocked.Exchange(ref _readFrom, started.UtcTicks);
                Interlocked.Exchange(ref _readAt, startedAt);
                failures = 0;
                read = true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                _logger.LogError(e, "The live registry could not read the event store (attempt {Attempt}).", failures);
                foreach (var orgId in _loads.Keys)
                {
                    if (_loads.TryRemove(orgId, out var load)) load.TrySetException(new RegistryUnavailableException("The registry cannot read the event store; try again shortly."));
                }
            }
            // Reads waiting for this round go on now, not after the loads and snapshots below.
            Interlocked.Exchange(ref _round, NewRound()).TrySetResult(read);
            if (read)
            {
                // Each load and snapshot reports its own failure; none stops the following.
                await LoadRequestedAsync(stoppingToken);
                await EvictUnusedAsync(stoppingToken);
            }
            if (commits == _commits.Commits && _loads.IsEmpty)
            {
                // After failures, back off up to 5 s: a question or a reconnected notification listener wakes it sooner.
                var wait = failures == 0 ? PollInterval : TimeSpan.FromSeconds(Math.Min(5, failures));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(wait);
                try
                {
                    await _wake.Reader.WaitToReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // poll interval over
                }
                _wake.Reader.TryRead(out _);
            }
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
        // An organisation's own stream has the organisation's id.
        var organisations = await session.QueryAsync<Guid>($"select id from {StreamOwner.Table(_store)} where id = org_id", ct);
        var keys = await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(ApiKeyCreated))).ToListAsync(ct);
        Locked(() =>
        {
            foreach (var orgId in organisations) _fold.Know(orgId);
            foreach (var key in keys) _fold.Know((ApiKeyCreated)key.Data);
            _watermark.Start(high);
            (_settled, _sequence) = (high, high);
            _begun = true;
        });
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
            Locked(() =>
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
            });
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
        void Index()
        {
            foreach (var (id, role, _) in changed) organisation.Text.Replace(id, role, _lexicon);
        }
        if (installed) Locked(Index);
        else Index();
    }

    private static TaskCompletionSource<bool> NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        _commits.Committed -= Wake;
        _lock.Dispose();
        base.Dispose();
    }
}
