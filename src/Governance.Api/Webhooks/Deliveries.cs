using Governance.Identity;
using Governance.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Http;

namespace Governance.Webhooks;

/// <summary>A delivery as its subscription's admins see it: what it tells of, and how its attempts went.</summary>
public sealed record DeliveryResponse(
    Guid Id, Guid EventId, string Type, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt);

public sealed record DeliveryPage(IReadOnlyList<DeliveryResponse> Items);

/// <summary>Failures are visible and replayable: a subscription's deliveries, and a failed one sent again.</summary>
public static class Deliveries
{
    public const int PageSize = 100;

    /// <summary>A subscription's latest deliveries (100, newest first), optionally of one status (pending, delivered, failed).</summary>
    [WolverineGet("/api/orgs/{orgId}/webhooks/{webhookId}/deliveries", OperationId = "listWebhookDeliveries"), Tags("Webhooks")]
    [Requires(Right.Administer)]
    public static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> List(Guid orgId, Guid webhookId, string? status, IQuerySession session, CancellationToken ct)
    {
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            return Problem.BadRequest("invalid-status", $"status is one of {string.Join(", ", DeliveryStatus.All)}; '{status}' is not.").ToResult();
        }
        if (await Subscribing.FindAsync(orgId, webhookId, session, ct) is null) return Subscribing.NotFound(webhookId).ToResult();
        var query = session.Query<WebhookDelivery>().Where(d => d.SubscriptionId == webhookId);
        if (status is not null) query = query.Where(d => d.Status == status);
        var found = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(PageSize).ToListAsync(ct);
        return TypedResults.Ok(new DeliveryPage([.. found.Select(Describe)]));
    }

    /// <summary>Send a failed delivery again: the same webhook-id and body, a fresh round of attempts.</summary>
    [WolverinePost("/api/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry", OperationId = "retryWebhookDelivery"), Tags("Webhooks")]
    [Requires(Right.Administer)]
    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Retry(
        Guid orgId, Guid webhookId, Guid deliveryId, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookDelivery>(deliveryId, ct) is not { } delivery || delivery.SubscriptionId != webhookId || delivery.OrgId != orgId
            || await Subscribing.FindAsync(orgId, webhookId, session, ct) is null)
        {
            return Problem.NotFound("delivery-not-found", $"The webhook has no delivery {deliveryId}.").ToResult();
        }
        if (delivery.Status != DeliveryStatus.Failed && !Stalled(delivery, clock.GetUtcNow()))
        {
            return Problem.Conflict("delivery-not-failed", $"Only a failed or stalled delivery is sent again; this one is {delivery.Status}.").ToResult();
        }
        var again = delivery with { Status = DeliveryStatus.Pending, Attempts = 0, NextAttemptAt = null };
        session.Store(again);
        // Through the outbox: sent once the reset is committed.
        await bus.PublishAsync(new SendWebhook(deliveryId));
        return TypedResults.Accepted($"/api/orgs/{orgId}/webhooks/{webhookId}/deliveries", Describe(again));
    }

    /// <summary>
    /// Pending with no attempt scheduled and nothing tried for an hour: its message was lost to an
    /// error the retries could not get past (it waits among Wolverine's dead letters).
    /// </summary>
    public static bool Stalled(WebhookDelivery delivery, DateTimeOffset now) =>
        delivery.Status == DeliveryStatus.Pending && delivery.NextAttemptAt is null && (delivery.LastAttemptAt ?? delivery.CreatedAt) < now - StalledAfter;

    public static readonly TimeSpan StalledAfter = TimeSpan.FromHours(1);

    private static DeliveryResponse Describe(WebhookDelivery d) =>
        new(d.Id, d.EventId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt, d.NextAttemptAt);
}
