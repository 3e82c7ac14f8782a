using System.Globalization;
using Governance.Infrastructure;

namespace Governance.Registry;

/// <summary>The <c>asOf</c> query parameter every registry read accepts.</summary>
public static class AsOf
{
    /// <summary>A past instant; null for now (no <c>asOf</c>, or one not in the past).</summary>
    public static (DateTimeOffset? Instant, Problem? Problem) Parse(string? asOf)
    {
        if (asOf is null) return (null, null);
        if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return (null, Problem.BadRequest("invalid-asof", $"asOf '{asOf}' is not an ISO-8601 date-time."));
        }
        return (instant >= DateTimeOffset.UtcNow ? null : instant.ToUniversalTime(), null);
    }
}
