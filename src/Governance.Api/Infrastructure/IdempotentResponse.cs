namespace Governance.Infrastructure;

/// <summary>The first answer to a write sent with an <c>Idempotency-Key</c>, kept to answer its retries.</summary>
public sealed record IdempotentResponse(
    string Id, Guid? OrgId, string Key, string RequestHash, int Status, string? Body, string? Location, string? ETag, DateTimeOffset CreatedAt);
