namespace Governance.Infrastructure;

/// <summary>How long an Idempotency-Key answers its retries, and how often expired answers are deleted (<c>Governance:Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Governance:Idempotency";

    /// <summary>A key answers retries this long after its first answer; after that, the same key is a new request.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
