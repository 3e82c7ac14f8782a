using System.Globalization;

namespace Governance.Infrastructure;

/// <summary>
/// <c>asOf</c> is part of the read contract. Until the temporal read model lands (audit issue), a
/// read at a past instant is refused rather than answered with today's state, which would be wrong.
/// </summary>
public static class TimeTravel
{
    public static Problem? Refuse(string? asOf)
    {
        if (asOf is null) return null;
        if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return Problem.BadRequest("invalid-asof", $"asOf '{asOf}' is not an ISO-8601 date-time.");
        }
        return instant >= DateTimeOffset.UtcNow
            ? null
            : Problem.BadRequest("asof-not-supported", "Reads at a past instant are not available yet; omit asOf for the current state.");
    }
}
