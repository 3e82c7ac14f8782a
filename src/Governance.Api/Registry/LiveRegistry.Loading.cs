using System.Diagnostics;

namespace Governance.Registry;

/// <summary>
/// Loading organisations into memory and dropping them: a read asks, the follower loads between two
/// rounds (from a snapshot and the events after it, or all events), writes snapshots, and drops the
/// unused. Only the follower changes what is in memory, so it reads its own state without the lock.
/// </summary>
public sealed partial class LiveRegistry
{
    /// <summary>A read that found its organisation gone again this many times after loading it gives up (a budget far too small).</summary>
    private const int MaxLoadsPerRead = 3;

    /// <summary>Asks the next round to load an organisation into memory and waits for it, at most <see cref="FreshnessTimeout"/>.</summary>
    private async Task RequestLoadAsync(Guid orgId, int attempt, CancellationToken ct)
    {
        if (attempt > MaxLoadsPerRead)
        {
            throw new RegistryUnavailableException("The organisation was dropped from memory before it could be read; the registry's memory budget is too small for it.");
        }
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
    /// Loads the organisations reads wait for (a snapshot and the events after it, or all events: every
    /// committed one; a later commit comes in a later round, folded once per stream version), or unpacks the
    /// history of one in memory that a read <c>asOf</c> an instant needs.
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
                    installed.Use();
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
        Locked(() => _fold.Install(organisation));
        // Counted as used from now: a load that took long must not make it the first to be dropped.
        organisation.Use();
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
            organisation.Snapshotted(snapshot.Events);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "The snapshot of organisation {OrgId} could not be stored; its next load reads all of its events.", organisation.Id);
        }
    }

    /// <summary>
    /// Drops the organisations no read used for <see cref="RegistryOptions.IdleAfter"/>, then the least
    /// recently used ones while the events in memory are over the budget (never one read within <see cref="RegistryOptions.KeepInUse"/>);
    /// one with <see cref="RegistryOptions.SnapshotAfter"/> events folded since its last snapshot leaves a new one.
    /// </summary>
    private async Task EvictUnusedAsync(CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        // Chosen without the lock (only this thread changes what is in memory); the lock only for dropping, and only when there is any.
        var dropped = new List<LiveOrganisation>();
        var events = _fold.Loaded.Sum(o => o.Events);
        foreach (var organisation in _fold.Loaded.OrderBy(o => o.LastUsed))
        {
            var unused = Stopwatch.GetElapsedTime(organisation.LastUsed, now);
            if (unused < _options.KeepInUse || unused < _options.IdleAfter && events <= _options.EventBudget) break;
            dropped.Add(organisation);
            events -= organisation.Events;
        }
        if (events > _options.EventBudget && !_overBudgetReported)
        {
            _overBudgetReported = true;
            _logger.LogWarning("The organisations in use hold about {Needed:N0} MB, over Governance:Registry:MemoryBudgetMB ({Budget:N0} MB); they stay in memory while in use. Raise the budget (and the memory limit) to keep them loaded between uses.",
                events * (double)RegistryOptions.BytesPerEvent / (1024 * 1024), _options.MemoryBudgetMB);
        }
        if (dropped.Count == 0) return;
        Locked(() => dropped.ForEach(_fold.Evict));
        // No longer followed, each stands as of the watermark.
        foreach (var organisation in dropped.Where(o => o.Events - o.SnapshotEvents >= _options.SnapshotAfter)) await SaveSnapshotAsync(organisation, ct);
    }

    /// <summary>Runs a read of the registry's own state under the read lock (for readers other than the follower).</summary>
    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
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
}
