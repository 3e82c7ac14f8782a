using System.Threading.RateLimiting;

namespace Governance.Identity;

/// <summary>
/// How many requests a credential may send per second (<c>Governance:RateLimit:PermitsPerSecond</c>,
/// default 1,000, 0 for none) and a client without credentials (<c>AnonymousPermitsPerSecond</c>,
/// per address, default 20), with bursts of twice that. Every answer says where the caller stands
/// (<c>RateLimit-Limit</c>, <c>-Remaining</c>, <c>-Reset</c>); a refusal is a 429 with <c>Retry-After</c>.
/// </summary>
public sealed class RateLimits(int perCredential, int anonymous)
{
    public static RateLimits From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Governance:RateLimit");
        return new RateLimits(section.GetValue("PermitsPerSecond", 1000), section.GetValue("AnonymousPermitsPerSecond", 20));
    }

    /// <summary>The bucket a request draws from: a key, a token's subject, the development user, else the client's address.</summary>
    public (string Partition, int PermitsPerSecond) PartitionOf(HttpContext http)
    {
        var user = http.User;
        var credential = user.FindFirst(Schemes.ApiKeyIdClaim)?.Value is { } key ? $"key:{key}"
            : user.FindFirst("sub")?.Value is { } subject ? $"sub:{subject}"
            : user.HasClaim(c => c.Type == Schemes.DevelopmentClaim) ? "development"
            : null;
        return credential is not null ? (credential, perCredential) : ($"ip:{http.Connection.RemoteIpAddress}", anonymous);
    }

    public PartitionedRateLimiter<HttpContext> Limiter() =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var (partition, permits) = PartitionOf(http);
            return permits <= 0
                ? RateLimitPartition.GetNoLimiter(partition)
                : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Burst(permits),
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
        });

    public static int Burst(int permitsPerSecond) => permitsPerSecond * 2;

    /// <summary>Adds the caller's standing against the limit to the answer (draft-ietf-httpapi-ratelimit-headers).</summary>
    public void Describe(HttpContext http, PartitionedRateLimiter<HttpContext> limiter)
    {
        var (_, permits) = PartitionOf(http);
        if (permits <= 0) return;
        var remaining = limiter.GetStatistics(http)?.CurrentAvailablePermits ?? Burst(permits);
        http.Response.OnStarting(() =>
        {
            http.Response.Headers["RateLimit-Limit"] = Burst(permits).ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Remaining"] = Math.Max(0, remaining - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Reset"] = "1";
            return Task.CompletedTask;
        });
    }
}
