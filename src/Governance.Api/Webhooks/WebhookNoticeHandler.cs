using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Wolverine.Attributes;
using Wolverine.Runtime.Handlers;

namespace Governance.Webhooks;

/// <summary>A delivery to attempt now (or at the time it was scheduled for).</summary>
[MessageIdentity("send-webhook")]
public sealed record SendWebhook(Guid DeliveryId);

/// <summary>
/// Notices that earlier versions stored in Wolverine's inbox, one per event, in the writing
/// transaction: kept so a store upgraded with some still waiting delivers them. Nothing sends new
/// ones; <see cref="WebhookNoticeSubscription"/> reads the events instead.
/// </summary>
public static class WebhookNoticeHandler
{
    public static void Configure(HandlerChain chain) => WebhooksSetup.RetryWhileDatabaseAway(chain);

    public static async Task<IEnumerable<SendWebhook>> Handle(WebhookNotice notice, IDocumentSession session, LiveRegistry registry, TimeProvider clock, CancellationToken ct) =>
        await NoticeDeliveries.StoreAsync([notice], session, registry, clock.GetUtcNow(), ct);
}

/// <summary>
/// Notices become one delivery per subscription that wants them, each with its CloudEvent fixed,
/// stored with the messages that send them (one transaction, Wolverine's outbox). A delivery's id
/// is derived from the subscription and the event, so a notice handled twice delivers once.
/// </summary>
public static class NoticeDeliveries
{
    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    /// <summary>
    /// Stores the deliveries of these notices in the session and answers the messages that send
    /// them. Three reads for any number of notices: their streams' owners, those organisations'
    /// subscriptions (none: done) and the deliveries already made.
    /// </summary>
    public static async Task<IReadOnlyList<SendWebhook>> StoreAsync(
        IReadOnlyList<WebhookNotice> notices, IDocumentOperations session, LiveRegistry registry, DateTimeOffset now, CancellationToken ct)
    {
        if (notices.Count == 0) return [];
        var owners = (await session.LoadManyAsync<StreamOwner>(ct, notices.Select(n => n.StreamId).Distinct()))
            .ToDictionary(o => o.Id, o => o.OrgId);
        var orgs = owners.Values.Distinct().ToArray();
        if (orgs.Length == 0) return [];
        var subscriptions = (await session.Query<WebhookSubscription>().Where(s => s.OrgId.IsOneOf(orgs)).ToListAsync(ct)).ToLookup(s => s.OrgId);
        if (subscriptions.Count == 0) return [];
        var hearing = (from notice in notices
                       where owners.ContainsKey(notice.StreamId)
                       let orgId = owners[notice.StreamId]
                       let subscribed = subscriptions[orgId].Where(s => s.Hears(notice)).ToList()
                       where subscribed.Count > 0
                       select (Notice: notice, OrgId: orgId, Subscriptions: subscribed)).ToList();
        var circles = await CirclesAroundAsync([.. hearing.Where(h => h.Subscriptions.Any(s => s.CircleId is not null)).Select(h => (h.Notice, h.OrgId))], session, registry, ct);
        var wanted = new Dictionary<Guid, (WebhookNotice Notice, Guid OrgId, WebhookSubscription Subscription)>();
        foreach (var (notice, orgId, subscribed) in hearing)
        {
            foreach (var subscription in subscribed.Where(s => s.CircleId is not { } scope || circles.GetValueOrDefault(notice)?.Contains(scope) == true))
            {
                wanted[NameBasedId.Of(subscription.Id, $"{notice.EventId}/{notice.Type}")] = (notice, orgId, subscription);
            }
        }
        if (wanted.Count == 0) return [];
        var existing = (await session.LoadManyAsync<WebhookDelivery>(ct, wanted.Keys)).Select(d => d.Id).ToHashSet();
        var sends = new List<SendWebhook>();
        foreach (var (id, (notice, orgId, subscription)) in wanted)
        {
            if (existing.Contains(id)) continue;
            session.Insert(new WebhookDelivery
            {
                Id = id,
                OrgId = orgId,
                SubscriptionId = subscription.Id,
                EventId = notice.EventId,
                Type = notice.Type,
                Body = Body(notice, orgId, notice.At ?? now),
                CreatedAt = now,
            });
            sends.Add(new SendWebhook(id));
        }
        return sends;
    }

    /// <summary>The CloudEvents 1.0 structured JSON body: the same event has the same id in every subscription.</summary>
    public static string Body(WebhookNotice notice, Guid orgId, DateTimeOffset at)
    {
        var cloudEvent = new CloudEvent
        {
            Id = NameBasedId.Of(notice.EventId, notice.Type).ToString(),
            Source = new Uri($"/api/orgs/{orgId}", UriKind.Relative),
            Type = notice.Type,
            Time = at,
            Subject = WebhookNotices.Subject(notice),
            DataContentType = "application/json",
            Data = WebhookNotices.Data(notice),
        };
        return System.Text.Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);
    }

    /// <summary>
    /// For each notice, the circle the change is in and every circle around it, up to the Anchor
    /// Circle: a subscription to a circle hears of everything inside it. Read from a registry that
    /// has every commit made anywhere before the call (the notices' events may come from another
    /// instance), one read per organisation; a role removed since is looked up as its event left
    /// it (its removal: as it stood just before).
    /// </summary>
    private static async Task<Dictionary<WebhookNotice, HashSet<Guid>>> CirclesAroundAsync(
        IReadOnlyList<(WebhookNotice Notice, Guid OrgId)> notices, IQuerySession session, LiveRegistry registry, CancellationToken ct)
    {
        var found = new Dictionary<WebhookNotice, HashSet<Guid>>();
        foreach (var organisation in notices.GroupBy(n => n.OrgId, n => n.Notice))
        {
            var now = await registry.ReadFreshAsync(organisation.Key, view => view.Of(null) is { } snapshot
                ? organisation.Select(n => (Notice: n, Circles: Around(snapshot, n))).ToList()
                : [], ct);
            foreach (var (notice, circles) in now.Where(n => n.Circles is not null)) found[notice] = circles!;
            foreach (var notice in organisation.Where(n => !found.ContainsKey(n)))
            {
                var at = notice.At ?? (await session.Events.LoadAsync(notice.EventId, ct))?.Timestamp;
                if (at is not { } instant) continue;
                // As the event left it (a role removed since); a removal itself, as it stood just before.
                found[notice] = await registry.ReadAsync(organisation.Key, instant, then => then is null ? null : Around(then, notice), ct)
                    ?? await registry.ReadAsync(organisation.Key, instant.AddTicks(-10), then => then is null ? [] : Around(then, notice) ?? [], ct);
            }
        }
        return found;
    }

    private static HashSet<Guid>? Around(IRegistrySnapshot snapshot, WebhookNotice notice)
    {
        var start = notice.CircleId;
        if (notice.RoleId is { } roleId)
        {
            if (!snapshot.Roles.TryGetValue(roleId, out var role)) return null;
            start ??= role.CircleId;
        }
        var found = new HashSet<Guid>();
        // A move concerns both circles: the one the role left and the one it joined.
        foreach (var from in new[] { start, notice.FromCircleId })
        {
            for (var circle = from; circle is { } id && found.Add(id);) circle = snapshot.Roles.GetValueOrDefault(id)?.CircleId;
        }
        if (notice.RoleId is { } self) found.Add(self);
        return found;
    }
}
