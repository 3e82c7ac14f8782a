using Governance.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace Governance.Proposals;

public static class ProposalsSetup
{
    public static WebApplicationBuilder AddProposals(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(ProposalSubmitted), typeof(ProposalAmended), typeof(ObjectionRaised), typeof(ObjectionIntegrated),
                typeof(ProposalAdopted), typeof(ProposalWithdrawn),
            ]);
            opts.Projections.Add<ProposalProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
        });
        return builder;
    }
}
