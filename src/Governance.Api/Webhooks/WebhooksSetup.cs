using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;

namespace Governance.Webhooks;

public static class WebhooksSetup
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Schema.For<WebhookSubscription>().Duplicate(s => s.OrgId);
            // Optimistic concurrency: of two retries (or two attempts) of one delivery racing, one wins and the other is a 409 (or judged again).
            opts.Schema.For<WebhookDelivery>().Duplicate(d => d.SubscriptionId).Duplicate(d => d.Status).UseOptimisticConcurrency(true);
        });
        builder.Services.AddHttpClient(SendWebhookHandler.HttpClientName, (services, client) =>
            {
                client.Timeout = services.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Governance-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(services => WebhookTargets.Handler(services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets));
        builder.Services.AddHostedService<WebhookBacklog>();
        // Scoped: resolved for each page, after the document store it reads from exists.
        builder.Services.SubscribeToEventsWithServices<WebhookNoticeSubscription>(ServiceLifetime.Scoped);
        builder.Services.ConfigureWolverine(opts =>
        {
            // Both stored in PostgreSQL with the transaction that decided them (the outbox), so a restart or a
            // crash loses none, and of several instances one handles each.
            // In parallel: a delivery waits on its target, not on the processor.
            // Notices: only those earlier versions stored, still to be handled after an upgrade.
            opts.LocalQueueFor<WebhookNotice>().UseDurableInbox().MaximumParallelMessages(8);
            opts.LocalQueueFor<SendWebhook>().UseDurableInbox().MaximumParallelMessages(16);
        });
        return builder;
    }

    /// <summary>
    /// Both webhook handlers: the database away for a moment, try again shortly (a message is never
    /// dropped for it; after the last try it waits in the dead letters).
    /// </summary>
    public static void RetryWhileDatabaseAway(HandlerChain chain) =>
        chain.OnException<NpgsqlException>().Or<TimeoutException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
}
