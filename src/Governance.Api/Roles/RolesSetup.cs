using Governance.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace Governance.Roles;

public static class RolesSetup
{
    public static WebApplicationBuilder AddRoles(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(RoleCreated), typeof(RoleRenamed), typeof(RolePurposeChanged),
                typeof(AccountabilityAdded), typeof(AccountabilityRemoved),
                typeof(DomainDelegated), typeof(DomainRevoked),
                typeof(RoleConvertedToCircle), typeof(RoleRemoved), typeof(RoleMoved),
                typeof(PersonAssignedToRole), typeof(PersonUnassignedFromRole), typeof(PersonElectedToRole),
                typeof(PolicyAdopted), typeof(PolicyAmended), typeof(PolicyRemoved),
            ]);
            opts.Events.Upcast<Upcasting.RoleNamedV1, RoleRenamed>(Upcasting.RoleNamedV1Type, Upcasting.FromRoleNamedV1);
            opts.Projections.Add<RoleProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
            opts.Projections.Add<DomainIndexProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<Role>().Duplicate(r => r.OrgId).Duplicate(r => r.CircleId).GinIndexJsonData();
            opts.Schema.For<DomainHolding>().Duplicate(h => h.OrgId).Duplicate(h => h.Key).Duplicate(h => h.RoleId);
        });
        return builder;
    }
}
