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
                typeof(RoleConvertedToCircle), typeof(CircleConvertedToRole), typeof(RoleRemoved), typeof(RoleMoved),
                typeof(PersonAssignedToRole), typeof(PersonUnassignedFromRole), typeof(PersonElectedToRole), typeof(AssignmentFocusChanged),
                typeof(PolicyAdopted), typeof(PolicyAmended), typeof(PolicyRemoved),
                typeof(InterpretationRuled), typeof(InterpretationRulingWithdrawn),
            ]);
            opts.Events.Upcast<Upcasting.RoleNamedV1, RoleRenamed>(Upcasting.RoleNamedV1Type, Upcasting.FromRoleNamedV1);
            opts.Projections.Add<RoleProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
            // By organisation (verify, SQL readers); every other read is by id or from the live registry.
            opts.Schema.For<Role>().Duplicate(r => r.OrgId);
        });
        return builder;
    }
}
