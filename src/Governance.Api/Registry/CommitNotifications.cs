using Npgsql;

namespace Governance.Registry;

/// <summary>
/// Listens on PostgreSQL for the commits of every instance (<see cref="CommitSignal.Channel"/>) and
/// wakes the live registry at once, so another instance's write is read within milliseconds; the
/// registry's polling stays as the fallback for a notification lost while not listening. Holds one
/// connection of the pool for as long as the service runs.
/// </summary>
public sealed class CommitNotifications(NpgsqlDataSource database, LiveRegistry registry, ILogger<CommitNotifications> logger) : BackgroundService
{
    /// <summary>How long to wait for a notification before checking that the connection still answers.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => registry.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {CommitSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Whatever was committed while no one listened.
                registry.Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(Heartbeat, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("select 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Listening for other instances' commits failed; the registry polls meanwhile. Retrying in a second.");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // stopping
                }
            }
        }
    }
}
