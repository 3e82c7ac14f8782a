using System.Diagnostics;

namespace Governance.Registry;

/// <summary>
/// Loading organisations into memory and dropping them: a read asks, the follower loads between two
/// rounds (from a snapshot and the events after it, or all events), writes snapshots, and drops the
/// unused. Only the follower changes what is in memory, so it reads its own state without the lock.
/// </summary>
public sealed partial class LiveRegistry
{
    /// <summary>Asks the next round to load an organisation into memory and waits for it, at most <see cref="FreshnessTimeout"/>.</summary>
    private async Task RequestLoadAsync(Guid orgId, CancellationToken ct)
    {
        var load = _loads.GetOrAdd(orgId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Wake();
        try
        {
            await load.Task.WaitAsync(FreshnessTimeout, ct);
        }
        catch (TimeoutException)
        {
            throw new RegistryUnavailableException("The organisation could not be loaded from the event store in time; try again shortly.");
        }
    }

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
                if (!_begun) await BeginAsync(stoppingToken);
                await CatchUpAsync(stoppingToken);
                Interlocked.Exchange(ref _followedCommits, commits);
                Interlocked.Exchange(ref _readFrom, started.UtcTicks);
                Interlocked.Exchange(ref _readAt, startedAt);
                failures = 0;
                read = true;
                await LoadRequestedAsync(stoppingToken);
                await EvictUnusedAsync(stoppingToken);
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
            Interlocked.Exchange(ref _round, NewRound()).TrySetResult(read);
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
    /// Loads the organisations reads wait for: every event of each, read by its streams (all committed
    /// ones: a later commit comes in a later round, whose events are folded once per stream version).
    /// </summary>
    private async Task LoadRequestedAsync(CancellationToken ct)
    {
        foreach (var orgId in _loads.Keys)
        {
            try
            {
                // In memory already (only this thread changes what is): its history is wanted.
                if (_fold.Organisation(orgId) is { } installed)
                {
                    if (installed.ReadPackedHistory() is { } packed) Locked(() => installed.UnpackHistory(packed));
                    if (_loads.TryRemove(orgId, out var unpacked)) unpacked.TrySetResult();
                    continue;
                }
                var (organisation, folded) = await LoadAsync(orgId, ct);
                if (_loads.TryRemove(orgId, out var load)) load.TrySetResult();
                // After the reads waiting for it are on their way.
                if (folded >= _options.SnapshotAfter) await SaveSnapshotAsync(organisation, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogError(e, "The live registry could not load organisation {OrgId}.", orgId);
                if (_loads.TryRemove(orgId, out var load)) load.TrySetException(new RegistryUnavailableException("The organisation could not be loaded from the event store; try again shortly."));
            }
        }
    }

    /// <summary>
    /// Loads one organisation: its snapshot, when this version of the code wrote it, and the events after the
    /// snapshot's watermark (all of them without one); one that folded <see cref="RegistryOptions.SnapshotAfter"/>
    /// events or more is worth a new snapshot. Returns it with the number of events folded.
    /// </summary>
    private async Task<(LiveOrganisation Organisation, long Folded)> LoadAsync(Guid orgId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        LiveOrganisation organisation;
        long after = 0, folded = 0;
        TimeSpan restored, tail;
        await using (var session = _store.QuerySession())
        {
            var snapshot = await session.LoadAsync<OrganisationSnapshot>(orgId, ct);
            if (snapshot?.Code == OrganisationSnapshot.CurrentCode)
            {
                organisation = LiveOrganisation.Restore(snapshot, _lexicon);
                after = snapshot.Watermark;
            }
            else organisation = new LiveOrganisation(orgId);
            restored = Stopwatch.GetElapsedTime(started);
            await foreach (var e in Replay.EventsAfterAsync(session, orgId, after, ct))
            {
                if (organisation.Fold(e)) folded++;
            }
            tail = Stopwatch.GetElapsedTime(started);
        }
        await IndexTextAsync(organisation, installed: false, ct);
        _lock.EnterWriteLock();
        try
        {
            if (_fold.Organisation(orgId) is null) _fold.Install(organisation);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Loaded organisation {OrgId}: {Events} events in {Milliseconds} ms ({Folded} folded after the snapshot's sequence {After}; snapshot restored by {Restored} ms, events folded by {Tail} ms).",
                orgId, organisation.Events, Stopwatch.GetElapsedTime(started).TotalMilliseconds, folded, after, restored.TotalMilliseconds, tail.TotalMilliseconds);
        }
        return (organisation, folded);
    }

    /// <summary>
    /// Stores an organisation's snapshot at the watermark (every event at or below it is folded in: the load read all
    /// committed ones, and rounds since read the rest). Called between rounds; a failure only costs the next load time.
    /// </summary>
    private async Task SaveSnapshotAsync(LiveOrganisation organisation, CancellationToken ct)
    {
        try
        {
            if (organisation.ReadPackedHistory() is { } packed) Locked(() => organisation.UnpackHistory(packed));
            var snapshot = organisation.Snapshot(_watermark.Value, DateTimeOffset.UtcNow, _lexicon);
            await using var session = _store.LightweightSession();
            session.Store(snapshot);
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "The snapshot of organisation {OrgId} could not be stored; its next load reads all of its events.", organisation.Id);
        }
    }

    /// <summary>
    /// Drops the organisations no read used for <see cref="RegistryOptions.IdleAfter"/>, then the least
    /// recently used ones while the events in memory are over the budget (never one read within <see cref="InUse"/>);
    /// one with <see cref="RegistryOptions.SnapshotAfter"/> events folded since its last snapshot leaves a new one.
    /// </summary>
    private async Task EvictUnusedAsync(CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        var dropped = new List<LiveOrganisation>();
        _lock.EnterWriteLock();
        try
        {
            var byUse = _fold.Loaded.OrderBy(o => o.LastUsed).ToList();
            var events = byUse.Sum(o => o.Events);
            foreach (var organisation in byUse)
            {
                var unused = Stopwatch.GetElapsedTime(organisation.LastUsed, now);
                if (unused < InUse || unused < _options.IdleAfter && events <= _options.EventBudget) break;
                _fold.Evict(organisation);
                dropped.Add(organisation);
                events -= organisation.Events;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        // No longer followed, each stands as of the watermark.
        foreach (var organisation in dropped.Where(o => o.Events - o.SnapshotEvents >= _options.SnapshotAfter)) await SaveSnapshotAsync(organisation, ct);
    }
}
