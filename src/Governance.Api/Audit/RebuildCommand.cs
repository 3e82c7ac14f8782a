using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Npgsql;

namespace Governance.Audit;

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- rebuild</c>: rebuilds every projection from the
/// events with Marten's projection daemon, printing progress, after first timing how fast the same
/// events are merely read and deserialised (P4 compares the two rates). Stop the service first:
/// a rebuild deletes and rewrites the registry documents.
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
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();
        var schema = store.Options.Events.DatabaseSchemaName;
        var total = await ScalarAsync(database, $"select count(*) from {schema}.mt_events");
        Console.WriteLine($"{total:N0} events in the store.");

        var reading = Stopwatch.StartNew();
        var read = await ReadAllAsync(store, total);
        reading.Stop();
        var readRate = read / reading.Elapsed.TotalSeconds;
        Console.WriteLine($"Read and deserialised {read:N0} events in {reading.Elapsed.TotalSeconds:F1} s: {readRate:N0} events/s.");

        var rebuilding = Stopwatch.StartNew();
        await RebuildAllAsync(store, Console.WriteLine, progress => ReportProgressAsync(database, schema, total, progress));
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
        await Task.WhenAll(Projections(store).Select(async projection =>
        {
            var one = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromHours(1), CancellationToken.None);
            report($"  {projection}: rebuilt in {one.Elapsed.TotalSeconds:F1} s");
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

    /// <summary>Prints each projection's position (Marten's progression table) every two seconds.</summary>
    private static async Task ReportProgressAsync(NpgsqlDataSource database, string schema, long total, CancellationToken ct)
    {
        var highest = await ScalarAsync(database, $"select coalesce(max(seq_id), 0) from {schema}.mt_events");
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await using var command = database.CreateCommand($"select name, last_seq_id from {schema}.mt_event_progression where name <> 'HighWaterMark' order by name");
                await using var reader = await command.ExecuteReaderAsync(ct);
                var positions = new List<string>();
                while (await reader.ReadAsync(ct))
                {
                    positions.Add($"{reader.GetString(0)} {100.0 * reader.GetInt64(1) / Math.Max(1, highest):F0} %");
                }
                Console.WriteLine($"  rebuilding {total:N0} events: {string.Join(", ", positions)}");
            }
        }
        catch (OperationCanceledException)
        {
            // rebuilt
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
