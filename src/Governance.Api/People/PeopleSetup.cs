using Governance.Infrastructure;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;

namespace Governance.People;

public static class PeopleSetup
{
    public static WebApplicationBuilder AddPeople(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(PersonJoined), typeof(PersonRenamed), typeof(PersonEmailChanged), typeof(PersonExternalIdChanged), typeof(PersonRemoved),
            ]);
            opts.Projections.Add<PersonProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
            // An e-mail address is one person's within an organisation (a removed person's document is gone: theirs is free again).
            opts.Schema.For<Person>()
                .Duplicate(p => p.OrgId)
                .Duplicate(p => p.ExternalId)
                .UniqueIndex(UniqueIndexType.Computed, "ux_person_org_email", p => p.OrgId, p => p.NormalizedEmail)
                // One person per identity-provider subject (PostgreSQL lets people without one be many).
                .UniqueIndex(UniqueIndexType.Computed, "ux_person_org_external_id", p => p.OrgId, p => p.ExternalId!);
        });
        return builder;
    }
}
