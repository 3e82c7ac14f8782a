using Marten;

namespace Governance.GovernanceChanges;

public static class GovernanceChangesSetup
{
    public static WebApplicationBuilder AddGovernanceChanges(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.Events.AddEventType<GovernanceChangesAdopted>());
        return builder;
    }
}
