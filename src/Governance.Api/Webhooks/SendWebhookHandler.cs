using System.Text;
using Governance.Telemetry;
using Marten;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Wolverine;
using Wolverine.Runtime.Handlers;

namespace Governance.Webhooks;

/// <summary>
/// One attempt of a delivery: the stored CloudEvent POSTed with Standard Webhooks headers
/// (<c>webhook-id</c> = the delivery's id, the same on every attempt, so a receiver drops repeats).
/// A failure schedules the next attempt through Wolverine's durable scheduled messages, each wait
/// six times the one before; after the last, the delivery is failed and waits for a retry.
/// </summary>
public static class SendWebhookHandler
{
    public const string HttpClientName = "webhooks";

    public static void Configure(HandlerChain chain) => WebhooksSetup.RetryWhileDatabaseAway(chain);


    public static async Task<object?> Handle(
        SendWebhook message, IDocumentSession session, IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock,
        ILogger<SendWebhook> logger, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookDelivery>(message.DeliveryId, ct) is not { Status: DeliveryStatus.Pending } delivery) return null;
        if (await session.LoadAsync<WebhookSubscription>(delivery.SubscriptionId, ct) is not { } subscription)
        {
            session.Store(delivery with { Status = DeliveryStatus.Failed, LastError = "The subscription was deleted." });
            return null;
        }
        var now = clock.GetUtcNow();
        var (statusCode, error) = await AttemptAsync(subscription, delivery, now, clients.CreateClient(HttpClientName), ct);
        var attempted = delivery with { Attempts = delivery.Attempts + 1, LastAttemptAt = now, LastStatusCode = statusCode, LastError = error, NextAttemptAt = null };
        if (error is null)
        {
            session.Store(attempted with { Status = DeliveryStatus.Delivered, DeliveredAt = now });
            GovernanceMetrics.WebhookDelivered();
            return null;
        }
        var final = attempted.Attempts >= options.Value.MaxAttempts;
        GovernanceMetrics.WebhookAttemptFailed(final);
        if (final)
        {
            logger.LogWarning("Webhook delivery {DeliveryId} failed after {Attempts} attempts: {Error}", delivery.Id, attempted.Attempts, error);
            session.Store(attempted with { Status = DeliveryStatus.Failed });
            return null;
        }
        var wait = options.Value.DelayAfter(attempted.Attempts);
        session.Store(attempted with { NextAttemptAt = now + wait });
        return message.DelayedFor(wait);
    }

    private static async Task<(int? StatusCode, string? Error)> AttemptAsync(
        WebhookSubscription subscription, WebhookDelivery delivery, DateTimeOffset now, HttpClient client, CancellationToken ct)
    {
        var signature = new StandardWebhook(subscription.Secret).Sign(delivery.Id.ToString(), now, delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("webhook-id", delivery.Id.ToString());
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, $"The target answered {code}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or WebhookTargetRefusedException)
        {
            return (null, e is TaskCanceledException ? "The target did not answer in time." : e.InnerException is { } cause ? $"{e.Message} {cause.Message}" : e.Message);
        }
    }
}
