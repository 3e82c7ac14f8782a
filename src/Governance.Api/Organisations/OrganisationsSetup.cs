using Governance.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace Governance.Organisations;

public static class OrganisationsSetup
{
    public static WebApplicationBuilder AddOrganisations(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([typeof(OrganisationFounded), typeof(AdminGranted), typeof(AdminRevoked), typeof(ApiKeyCreated), typeof(ApiKeyRevoked)]);
            opts.Projections.Add<OrganisationProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
        });
        return builder;
    }
}
