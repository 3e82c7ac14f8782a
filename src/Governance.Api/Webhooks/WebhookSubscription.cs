using System.Security.Cryptography;

namespace Governance.Webhooks;

/// <summary>
/// Where an organisation wants to hear of changes: a URL, the event types, optionally one circle
/// (and everything inside it). Operational state, not governance, so a Marten document rather than
/// events: its secret must stay readable to sign deliveries, and events are exported.
/// <c>AfterSequence</c>: it hears of events after this one of the store; every event committed
/// after the subscription is (0 in subscriptions made before it was recorded: no limit).
/// </summary>
public sealed record WebhookSubscription(
    Guid Id, Guid OrgId, string Url, IReadOnlyList<string> Events, Guid? CircleId, string Secret, DateTimeOffset CreatedAt, long AfterSequence = 0)
{
    /// <summary>True when this subscription hears of the notice (of its type, and after the subscription began).</summary>
    public bool Hears(WebhookNotice notice) => Events.Contains(notice.Type) && (notice.Sequence is not { } sequence || sequence > AfterSequence);

    private const string SecretPrefix = "whsec_";

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A secret a subscriber chose: <c>whsec_</c> and 24 to 64 bytes in base64 (the specification's range).</summary>
    public static bool IsValidSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return false;
        var bytes = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], bytes, out var length) && length is >= 24 and <= 64;
    }
}

/// <summary>
/// One event's delivery to one subscription: its CloudEvent body, fixed when it is created so every
/// attempt sends the same bytes, and how its attempts went.
/// </summary>
public sealed record WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid OrgId { get; init; }
    public Guid SubscriptionId { get; init; }
    /// <summary>The event of the store it tells of.</summary>
    public Guid EventId { get; init; }
    public string Type { get; init; } = "";
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string Status { get; init; } = DeliveryStatus.Pending;
    public int Attempts { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
}
