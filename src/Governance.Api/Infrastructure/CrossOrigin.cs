namespace Governance.Infrastructure;

/// <summary>
/// Browsers on other origins read answers only from the origins configured in
/// <c>Governance:Cors:AllowedOrigins</c> (none by default; the web app is served from the same origin).
/// </summary>
public static class CrossOrigin
{
    public static WebApplicationBuilder AddCrossOrigin(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Governance:Cors:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins(origins)
            .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Correlation-ID")
            .WithMethods("GET", "POST", "DELETE")
            .WithExposedHeaders("Location", "ETag", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")));
        return builder;
    }
}
