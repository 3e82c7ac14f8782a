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
/// A notice becomes one delivery per subscription that wants it, each with its CloudEvent fixed,
/// stored with the messages that send them (one transaction, Wolverine's outbox). The delivery's id
/// is derived from the subscription and the event, so a notice handled twice delivers once.
/// </summary>
public static class WebhookNoticeHandler
{
    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    public static void Configure(HandlerChain chain) => WebhooksSetup.RetryWhileDatabaseAway(chain);

    public static async Task<IEnumerable<SendWebhook>> Handle(WebhookNotice notice, IDocumentSession session, LiveRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<StreamOwner>(notice.StreamId, ct) is not { } owner) return [];
        var subscriptions = (await session.Query<WebhookSubscription>().Where(s => s.OrgId == owner.OrgId).ToListAsync(ct))
            .Where(s => s.Events.Contains(notice.Type)).ToList();
        if (subscriptions.Count == 0) return [];
        var circles = subscriptions.Any(s => s.CircleId is not null) ? await CirclesOfAsync(notice, owner.OrgId, session, registry, ct) : [];
        var wanted = subscriptions.Where(s => s.CircleId is not { } scope || circles.Contains(scope))
            .ToDictionary(s => NameBasedId.Of(s.Id, $"{notice.EventId}/{notice.Type}"));
        var existing = (await session.LoadManyAsync<WebhookDelivery>(ct, wanted.Keys)).Select(d => d.Id).ToHashSet();
        var now = clock.GetUtcNow();
        var body = Body(notice, owner.OrgId, now);
        var created = wanted.Where(w => !existing.Contains(w.Key)).Select(w => new WebhookDelivery
        {
            Id = w.Key,
            OrgId = owner.OrgId,
            SubscriptionId = w.Value.Id,
            EventId = notice.EventId,
            Type = notice.Type,
            Body = body,
            CreatedAt = now,
        }).ToList();
        foreach (var delivery in created) session.Insert(delivery);
        return [.. created.Select(d => new SendWebhook(d.Id))];
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
    /// The circle the change is in and every circle around it, up to the Anchor Circle: a
    /// subscription to a circle hears of everything inside it. A role removed since is looked up
    /// as it stood just before the event.
    /// </summary>
    private static async Task<HashSet<Guid>> CirclesOfAsync(WebhookNotice notice, Guid orgId, IDocumentSession session, LiveRegistry registry, CancellationToken ct)
    {
        var circles = await registry.ReadAsync(orgId, null, now => Around(now, notice), ct);
        if (circles is not null) return circles;
        var e = await session.Events.LoadAsync(notice.EventId, ct);
        return e is null ? [] : await registry.ReadAsync(orgId, e.Timestamp.AddTicks(-10), then => Around(then, notice) ?? [], ct);
    }

    private static HashSet<Guid>? Around(IRegistrySnapshot? snapshot, WebhookNotice notice)
    {
        if (snapshot is null) return null;
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
