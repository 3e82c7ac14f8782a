using JasperFx.Events.Projections;
using Marten;

namespace Governance.Registry;

public static class RegistrySetup
{
    /// <summary>The live registry (the organisations in use in memory, following the event store) and the stream-owner index.</summary>
    public static WebApplicationBuilder AddGovernanceRegistry(this WebApplicationBuilder builder)
    {
        var commits = new CommitSignal();
        builder.Services.AddSingleton(commits);
        builder.Services.AddSingleton<Lexicon>();
        builder.Services.AddSingleton<SequenceFence>();
        builder.Services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section)
            .Validate(o => o.MemoryBudgetMB > 0 && o.IdleAfter > TimeSpan.Zero && o.KeepInUse >= TimeSpan.Zero && o.SnapshotAfter > 0,
                $"{RegistryOptions.Section}: MemoryBudgetMB is a positive number of megabytes, IdleAfter a positive duration (e.g. 00:30:00), KeepInUse a duration (e.g. 00:01:00) and SnapshotAfter a positive number of events.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LiveRegistry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveRegistry>());
        builder.Services.AddHostedService<CommitNotifications>();
        builder.Services.ConfigureMarten(opts =>
        {
            // Every commit of this process wakes the live registry (read-your-writes).
            opts.Listeners.Add(commits);
            opts.Projections.Add<StreamOwnerProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<StreamOwner>().Duplicate(o => o.OrgId);
            opts.Schema.For<OrganisationSnapshot>();
        });
        return builder;
    }
}
