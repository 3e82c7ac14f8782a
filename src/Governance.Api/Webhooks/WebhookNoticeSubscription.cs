using Governance.Registry;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Governance.Webhooks;

/// <summary>
/// Reads the committed events that subscribers hear of, in order, a page at a time, on one
/// instance of the fleet (Marten's async daemon), and turns them into deliveries. The page's
/// deliveries, their send messages (Wolverine's outbox) and the subscription's progress commit in
/// one transaction: a crash re-reads the page, the derived delivery ids make it deliver once.
/// Nothing is added to the transaction that writes the events, and a page whose organisations
/// have no subscriptions costs two reads.
/// </summary>
public sealed class WebhookNoticeSubscription : BatchSubscription
{
    public const string Name = "webhook-notices";

    private readonly IServiceProvider _services;

    /// <summary>
    /// Also built while the document store is (to read its name and event types), so the live
    /// registry, which needs that store, is looked up when a page comes, not here.
    /// </summary>
    public WebhookNoticeSubscription(IServiceProvider services) : base(Name)
    {
        _services = services;
        foreach (var type in WebhookNotices.EventTypes) IncludeType(type);
        // Goes on from its recorded progress, so what commits while no instance reads (a restart, a fail-over) is heard.
        // Without progress (a new store, or one upgraded from notices in the outbox) it starts at the newest event:
        // history is not re-announced. (SubscribeFromPresent would start at the newest event at every start.)
        Options.SubscribeAsInlineToAsync();
    }

    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        var notices = page.Events.Select(WebhookNotices.Of).OfType<WebhookNotice>().ToList();
        foreach (var send in await NoticeDeliveries.StoreAsync(
            notices, operations, _services.GetRequiredService<LiveRegistry>(), _services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken))
        {
            await bus.PublishAsync(send);
        }
    }
}
