namespace Governance.Webhooks;

/// <summary>
/// The event types a subscription chooses from: the "who decides" changes a support tool cares
/// about, not the raw events (CloudEvents <c>type</c>).
/// </summary>
public static class WebhookTypes
{
    /// <summary>A role gained, lost or moved domains: the answer to "who decides?" changed for those keys.</summary>
    public const string DecisionRightsChanged = "governance.decision-rights.changed";
    public const string RoleFilled = "governance.role.filled";
    public const string RoleUnfilled = "governance.role.unfilled";
    /// <summary>A circle adopted, amended or removed a policy (limits and grants of who decides).</summary>
    public const string PolicyChanged = "governance.policy.changed";
    /// <summary>A role was removed: whatever it decided, its circle decides now (§1.3.2).</summary>
    public const string RoleRemoved = "governance.role.removed";

    public static readonly IReadOnlyList<string> All = [DecisionRightsChanged, RoleFilled, RoleUnfilled, PolicyChanged, RoleRemoved];
}

/// <summary>Where a delivery stands.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>Every attempt failed; <c>retry</c> sends it again.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

/// <summary><c>Governance:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Governance:Webhooks";

    /// <summary>Deliver to loopback and private addresses too (tests, a desk inside the same network). Off by default: SSRF.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The wait after the first failed attempt; each later wait is six times the one before.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts before a delivery is failed (5 s, 30 s, 3 min, 18 min, 1.8 h between them by default).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long a target has to answer one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan DelayAfter(int attempts) => FirstRetryDelay * Math.Pow(6, attempts - 1);
}
