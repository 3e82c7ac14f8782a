using JasperFx.Events.Projections;
using Marten;

namespace Governance.Registry;

public static class RegistrySetup
{
    /// <summary>The live registry (every organisation in memory, following the event store) and the stream-owner index.</summary>
    public static WebApplicationBuilder AddGovernanceRegistry(this WebApplicationBuilder builder)
    {
        var commits = new CommitSignal();
        builder.Services.AddSingleton(commits);
        builder.Services.AddSingleton<Lexicon>();
        builder.Services.AddSingleton<SequenceFence>();
        builder.Services.AddSingleton<LiveRegistry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveRegistry>());
        builder.Services.AddHostedService<CommitNotifications>();
        builder.Services.ConfigureMarten(opts =>
        {
            // Every commit of this process wakes the live registry (read-your-writes).
            opts.Listeners.Add(commits);
            opts.Projections.Add<StreamOwnerProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<StreamOwner>().Duplicate(o => o.OrgId);
        });
        return builder;
    }
}
