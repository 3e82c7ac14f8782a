using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Governance.Infrastructure;

/// <summary>
/// Deletes Idempotency-Key answers older than their retention, every cleanup interval, in small
/// batches that each commit on their own. Writes are never blocked: a delete locks only the
/// expired rows it removes (rows another instance is deleting are skipped), and new answers are
/// inserted beside them.
/// </summary>
public sealed class IdempotencyCleanup(NpgsqlDataSource database, IDocumentStore store, IOptions<IdempotencyOptions> options,
    TimeProvider clock, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    public const int BatchSize = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        do
        {
            try
            {
                var deleted = await CleanAsync(stoppingToken);
                if (deleted > 0 && logger.IsEnabled(LogLevel.Information)) logger.LogInformation("Deleted {Count} expired Idempotency-Key answers.", deleted);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Deleting expired Idempotency-Key answers failed; trying again at the next interval.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes every answer past its retention; returns how many.</summary>
    public async Task<int> CleanAsync(CancellationToken ct)
    {
        var table = store.Options.Schema.For<IdempotentResponse>();
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var total = 0;
        int deleted;
        do
        {
            await using var command = database.CreateCommand($"""
                delete from {table} where id in (
                    select id from {table} where created_at <= @cutoff
                    limit {BatchSize} for update skip locked)
                """);
            command.Parameters.AddWithValue("cutoff", cutoff);
            deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }
}
