using System.Diagnostics;
using System.Threading.Channels;
using Governance.Roles;
using Marten;

namespace Governance.Registry;

/// <summary>
/// The registry of every organisation in memory, folded from the event store and kept current by
/// following it: every registry read, "who decides?" included, is a walk through dictionaries
/// instead of database round trips. It reads events in sequence order after its <see cref="SequenceWatermark"/>: right after
/// each local commit, on each commit notification of another instance, and every <see cref="PollInterval"/>.
/// A question first waits until every commit this process made before it is folded in. Events are
/// folded once per stream version. A gap in the sequence (a transaction still open, or rolled
/// back) holds the watermark back, so events above it are read again each round until a
/// <see cref="SequenceFence"/> settles it: a late commit is always read, however late.
/// </summary>
public sealed class LiveRegistry : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    /// <summary>A gap held open longer than this is logged as a warning, naming the transactions that hold it.</summary>
    public static readonly TimeSpan LongGap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan FreshnessTimeout = TimeSpan.FromSeconds(10);
    private const int BatchSize = 5_000;

    private readonly IDocumentStore _store;
    private readonly CommitSignal _commits;
    private readonly Lexicon _lexicon;
    private readonly ILogger<LiveRegistry> _logger;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly RegistryFold _fold;
    private readonly RegistryHistory _history = new();
    private readonly List<(Role? Before, Role? After)> _changes = [];
    private readonly TextIndex _text = new();
    private readonly HashSet<(Guid Org, Guid Role)> _textChanged = [];
    private readonly Dictionary<Guid, long> _streamVersions = [];
    private readonly SequenceWatermark _watermark = new();
    private readonly SequenceFence _fences;
    /// <summary>Observed after a read that left a gap; it settles once its transactions have ended.</summary>
    private (SequenceFence.Fence Fence, DateTimeOffset Since, bool Warned)? _fence;
    /// <summary>Every sequence at or below is committed or gone for good (from the last settled fence).</summary>
    private long _settled;
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

    public LiveRegistry(IDocumentStore store, CommitSignal commits, Lexicon lexicon, SequenceFence fences, ILogger<LiveRegistry> logger)
    {
        (_store, _commits, _lexicon, _fences, _logger) = (store, commits, lexicon, fences, logger);
        _fold = new RegistryFold { RoleChanged = (before, after) => _changes.Add((before, after)) };
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

    /// <summary>
    /// Runs a read on a registry that reflects at least every commit made here before the call,
    /// and, with <paramref name="readAfter"/>, every commit anywhere before that instant (a read
    /// of the event store started after it): what a question <c>asOf</c> a recent instant needs.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<RegistryView, T> read, CancellationToken ct, DateTimeOffset? readAfter = null)
    {
        await FreshAsync(readAfter ?? DateTimeOffset.MinValue, readAfterTimestamp: 0, whole: false, ct);
        TryRead(read, whole: false, out var result);
        return result;
    }

    /// <summary>
    /// Runs a read on a registry that reflects every commit made anywhere before the call (a read of
    /// the event store started after it, by a clock no system time change moves): what a write judges its changes against.
    /// </summary>
    public async Task<T> ReadFreshAsync<T>(Func<RegistryView, T> read, CancellationToken ct)
    {
        var asked = Stopwatch.GetTimestamp();
        T result;
        do await FreshAsync(DateTimeOffset.MinValue, asked, whole: true, ct);
        while (!TryRead(read, whole: true, out result));
        return result;
    }

    /// <summary>Reads under the read lock; with <paramref name="whole"/>, not between two batches of a round (false then).</summary>
    private bool TryRead<T>(Func<RegistryView, T> read, bool whole, out T result)
    {
        _lock.EnterReadLock();
        try
        {
            // Between two batches of a long catch-up a transaction may be folded in part: not a state to judge a write on.
            if (whole && _partial)
            {
                result = default!;
                return false;
            }
            result = read(new RegistryView(_fold, _history, _text, _lexicon, _sequence));
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Runs a read on one organisation, now or at a past instant (null: no such organisation then).</summary>
    public Task<T> ReadAsync<T>(Guid orgId, DateTimeOffset? asOf, Func<IRegistrySnapshot?, T> read, CancellationToken ct) =>
        ReadAsync(view => read(view.Of(orgId, asOf)), ct, readAfter: asOf);

    /// <summary>
    /// Waits, at most <see cref="FreshnessTimeout"/>, for every local commit before the call, a read started after
    /// <paramref name="readAfter"/> (system time) and after <paramref name="readAfterTimestamp"/> (<see cref="Stopwatch"/>),
    /// and with <paramref name="whole"/> for a round's end; a failed read of the store is a 503 at once.
    /// </summary>
    private async Task FreshAsync(DateTimeOffset readAfter, long readAfterTimestamp, bool whole, CancellationToken ct)
    {
        var target = _commits.Commits;
        var deadline = DateTimeOffset.UtcNow + FreshnessTimeout;
        while (Interlocked.Read(ref _followedCommits) < target || LastRead <= readAfter || Interlocked.Read(ref _readAt) <= readAfterTimestamp
            || whole && Volatile.Read(ref _partial))
        {
            var round = Volatile.Read(ref _round);
            Wake();
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) throw new RegistryUnavailableException("The registry has not caught up with the event store; try again shortly.");
            bool read;
            try
            {
                read = await round.Task.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
                continue; // checked again above
            }
            // The database does not answer: say so now rather than when the deadline passes.
            if (!read) throw new RegistryUnavailableException("The registry cannot read the event store; try again shortly.");
        }
    }

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
            }
            Interlocked.Exchange(ref _round, NewRound()).TrySetResult(read);
            if (commits == _commits.Commits)
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

            _lock.EnterWriteLock();
            try
            {
                foreach (var e in batch)
                {
                    _watermark.Read(e.Sequence);
                    if (e.Version <= _streamVersions.GetValueOrDefault(e.StreamId)) continue;
                    if (_fold.Apply(e) is { } organisation) _history.Record(organisation, e, _changes);
                    foreach (var (before, after) in _changes) NoteTextChange(before, after);
                    _changes.Clear();
                    _streamVersions[e.StreamId] = e.Version;
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
            await IndexTextAsync(ct);
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

    private void NoteTextChange(Role? before, Role? after)
    {
        if (before is null || after is null || before.Name != after.Name || before.Purpose != after.Purpose
            || !ReferenceEquals(before.Accountabilities, after.Accountabilities) || !ReferenceEquals(before.Domains, after.Domains))
        {
            var role = (before ?? after)!;
            _textChanged.Add((role.OrgId, role.Id));
        }
    }

    /// <summary>Re-indexes the roles whose words changed, once their words' lexemes are known.</summary>
    private async Task IndexTextAsync(CancellationToken ct)
    {
        if (_textChanged.Count == 0) return;
        List<(Guid Id, Role? Role)> changed;
        _lock.EnterReadLock();
        try
        {
            changed = [.. _textChanged.Select(id => (id.Role, _fold.Organisation(id.Org)?.Roles.GetValueOrDefault(id.Role)))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
        _textChanged.Clear();
        await _lexicon.LearnAsync(changed.Where(c => c.Role is not null).SelectMany(c => TextIndex.WordsOf(c.Role!)), remember: true, ct);
        _lock.EnterWriteLock();
        try
        {
            foreach (var (id, role) in changed) _text.Replace(id, role, _lexicon);
        }
        finally
        {
            _lock.ExitWriteLock();
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
