using Governance.Telemetry;
using Marten;

namespace Governance.Webhooks;

/// <summary>
/// Counts the pending deliveries for the <see cref="GovernanceMetrics.WebhookBacklog"/> gauge every
/// few seconds: one indexed count, rather than a query at each scrape.
/// </summary>
public sealed class WebhookBacklog(IDocumentStore store, ILogger<WebhookBacklog> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var session = store.QuerySession();
                GovernanceMetrics.WebhookBacklogCounted(await session.Query<WebhookDelivery>().CountAsync(d => d.Status == DeliveryStatus.Pending, stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database away for a moment: the gauge keeps its last value; health checks report the outage.
                logger.LogDebug(e, "Could not count the pending webhook deliveries.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
