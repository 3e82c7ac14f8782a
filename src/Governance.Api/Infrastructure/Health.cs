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

internal sealed class LiveRegistryHealthCheck(Registry.LiveRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(registry.CaughtUp
            ? HealthCheckResult.Healthy($"At event sequence {registry.Sequence}.")
            : HealthCheckResult.Unhealthy("The live registry is still reading the event store."));
}
