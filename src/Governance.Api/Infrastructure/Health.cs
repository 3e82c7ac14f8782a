using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Infrastructure;

public static class Health
{
    public static WebApplicationBuilder AddGovernanceHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<LiveRegistryHealthCheck>("registry", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapGovernanceHealth(this WebApplication app)
    {
        // live: the process answers; ready: it can also reach its database and its live registry has read the event store.
        // Probes need no credentials and are never rate limited (a flood of other clients must not fail them).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous().DisableRateLimiting();
        return app;
    }
}

internal sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}

/// <summary>
/// Ready once the live registry has read the whole event store, and as long as it keeps reading it:
/// one that has not read for <see cref="Registry.LiveRegistry.FreshnessTimeout"/> (the database
/// unreachable, an event this version cannot read) answers from an old state, so it leaves the rotation.
/// </summary>
internal sealed class LiveRegistryHealthCheck(Registry.LiveRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var behind = registry.SinceLastRead;
        return Task.FromResult(!registry.CaughtUp ? HealthCheckResult.Unhealthy("The live registry is still reading the event store.")
            : behind > Registry.LiveRegistry.FreshnessTimeout
                ? HealthCheckResult.Unhealthy($"The live registry has not read the event store for {behind.TotalSeconds:F0} s; its log says why.")
                : HealthCheckResult.Healthy($"At event sequence {registry.Sequence}."));
    }
}
