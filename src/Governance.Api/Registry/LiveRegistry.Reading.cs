using System.Diagnostics;

namespace Governance.Registry;

/// <summary>
/// Reading the live registry: each read waits until the registry is as fresh as it needs, then runs
/// under the read lock on one organisation, which it first has loaded when it is not in memory.
/// </summary>
public sealed partial class LiveRegistry
{
    /// <summary>True when the organisation is in memory (its next read needs no load).</summary>
    public bool Holds(Guid orgId) => Read(() => _fold.Organisation(orgId) is not null);

    /// <summary>
    /// Runs a read of one organisation on a registry that reflects at least every commit made here
    /// before the call; with <paramref name="asOf"/>, a read of the organisation's history, reflecting every
    /// commit anywhere before that instant (a read of the event store started after it): what a question <c>asOf</c> a recent instant needs.
    /// </summary>
    public async Task<T> ReadAsync<T>(Guid orgId, Func<RegistryView, T> read, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        await FreshAsync(asOf ?? DateTimeOffset.MinValue, readAfterTimestamp: 0, whole: false, ct);
        T result;
        var loads = 0;
        while (TryRead(orgId, read, whole: false, history: asOf is not null, out result) == Outcome.NotLoaded) await RequestLoadAsync(orgId, ++loads, ct);
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
        var loads = 0;
        while (true)
        {
            await FreshAsync(DateTimeOffset.MinValue, asked, whole: true, ct);
            switch (TryRead(orgId, read, whole: true, history: false, out var result))
            {
                case Outcome.Read:
                    return result;
                case Outcome.NotLoaded:
                    await RequestLoadAsync(orgId, ++loads, ct);
                    break;
            }
        }
    }

    /// <summary>The organisation an API key was created for (null: no such key), as of every commit made here before the call.</summary>
    public async Task<Guid?> OrganisationOfApiKeyAsync(Guid keyId, CancellationToken ct)
    {
        await FreshAsync(DateTimeOffset.MinValue, readAfterTimestamp: 0, whole: false, ct);
        return Read(() => _fold.OrganisationOfApiKey(keyId));
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
            organisation?.Use();
            if (organisation is null ? _fold.Exists(orgId) : history && organisation.HistoryPacked) return Outcome.NotLoaded;
            result = read(new RegistryView(organisation, _lexicon, _sequence));
            return Outcome.Read;
        }
        finally
        {
            _lock.ExitReadLock();
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
}
