using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;

namespace Governance.Audit;

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- rebuild</c>: rebuilds every projection from the
/// events with Marten's projection daemon, printing progress, after first timing how fast the same
/// events are merely read and deserialised (P4 compares the two rates). Stop the service first:
/// a rebuild deletes and rewrites the registry documents, and deletes the live registry's snapshots.
/// </summary>
[Description("Rebuilds every projection from the events (with progress) and compares its rate with merely reading them.", Name = "rebuild")]
public sealed class RebuildCommand : JasperFxAsyncCommand<NetCoreInput>
{
    /// <summary>The names of every projection registered with the store (EventStoreSetup).</summary>
    public static IReadOnlyList<string> Projections(IDocumentStore store) =>
        [.. ((StoreOptions)store.Options).Projections.All.Select(p => p.Name)];

    private const int BatchSize = 10_000;

    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // The live registry's snapshots are derived from the events too: a restored event store must not meet newer ones.
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(Registry.OrganisationSnapshot));
        Console.WriteLine("Deleted the live registry's snapshots; the service stores them again as it loads organisations.");
        var statistics = await store.Advanced.FetchEventStoreStatistics();
        var total = statistics.EventCount;
        Console.WriteLine($"{total:N0} events in the store.");

        var reading = Stopwatch.StartNew();
        var read = await ReadAllAsync(store, total);
        reading.Stop();
        var readRate = read / reading.Elapsed.TotalSeconds;
        Console.WriteLine($"Read and deserialised {read:N0} events in {reading.Elapsed.TotalSeconds:F1} s: {readRate:N0} events/s.");

        var rebuilding = Stopwatch.StartNew();
        await RebuildAllAsync(store, Console.WriteLine, progress => ReportProgressAsync(store, total, statistics.EventSequenceNumber, progress));
        rebuilding.Stop();
        var rebuildRate = total / rebuilding.Elapsed.TotalSeconds;
        Console.WriteLine($"Rebuilt {Projections(store).Count} projections over {total:N0} events in {rebuilding.Elapsed.TotalSeconds:F1} s: {rebuildRate:N0} events/s.");
        Console.WriteLine($"P4: rebuild rate / read rate = {rebuildRate / readRate:F2} (target >= 0.3). Next: `verify` checks the result.");
        return true;
    }

    /// <summary>
    /// Rebuilds every projection, all at once: each reads the events for itself, and the two cores
    /// and the database's writes overlap (one after the other took a third longer).
    /// </summary>
    public static async Task RebuildAllAsync(IDocumentStore store, Action<string> report, Func<CancellationToken, Task>? showProgress = null)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        using var progress = new CancellationTokenSource();
        var reporter = showProgress?.Invoke(progress.Token) ?? Task.CompletedTask;
        // The rebuilds end on their own threads; the report hears of them one at a time.
        var reporting = new Lock();
        await Task.WhenAll(Projections(store).Select(async projection =>
        {
            var one = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromHours(1), CancellationToken.None);
            lock (reporting) report($"  {projection}: rebuilt in {one.Elapsed.TotalSeconds:F1} s");
        }));
        await progress.CancelAsync();
        await reporter;
    }

    /// <summary>Every event in sequence order through Marten (deserialised, upcast), in batches.</summary>
    private static async Task<long> ReadAllAsync(IDocumentStore store, long total)
    {
        long read = 0, after = 0;
        var shown = Stopwatch.StartNew();
        while (true)
        {
            await using var session = store.QuerySession();
            var batch = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync();
            if (batch.Count == 0) return read;
            read += batch.Count;
            after = batch[^1].Sequence;
            if (shown.Elapsed > TimeSpan.FromSeconds(2))
            {
                Console.WriteLine($"  reading: {read:N0} / {total:N0}");
                shown.Restart();
            }
        }
    }

    /// <summary>Prints each projection's position (Marten's progression) every two seconds.</summary>
    private static async Task ReportProgressAsync(IDocumentStore store, long total, long highest, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                var positions = (await store.Advanced.AllProjectionProgress(token: ct))
                    .Where(p => p.ShardName != "HighWaterMark").OrderBy(p => p.ShardName, StringComparer.Ordinal)
                    .Select(p => $"{p.ShardName} {100.0 * p.Sequence / Math.Max(1, highest):F0} %");
                Console.WriteLine($"  rebuilding {total:N0} events: {string.Join(", ", positions)}");
            }
        }
        catch (OperationCanceledException)
        {
            // rebuilt
        }
    }
}
