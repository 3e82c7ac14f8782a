using Governance.Audit;
using Governance.DecisionRights;
using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Proposals;
using Governance.Roles;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Weasel.Core;
using Wolverine.Marten;

namespace Governance.Infrastructure;

public static class EventStoreSetup
{
    /// <summary>Every event type, registered up front so that reading any stream never meets an unknown type.</summary>
    public static readonly Type[] EventTypes =
    [
        typeof(OrganisationFounded), typeof(PersonJoined),
        typeof(RoleCreated), typeof(RoleRenamed), typeof(RolePurposeChanged),
        typeof(AccountabilityAdded), typeof(AccountabilityRemoved),
        typeof(DomainDelegated), typeof(DomainRevoked),
        typeof(RoleConvertedToCircle), typeof(RoleRemoved), typeof(RoleMoved),
        typeof(PersonAssignedToRole), typeof(PersonUnassignedFromRole), typeof(PersonElectedToRole),
        typeof(PolicyAdopted), typeof(PolicyAmended), typeof(PolicyRemoved),
        typeof(GovernanceChangesAdopted),
        typeof(ProposalSubmitted), typeof(ProposalAmended), typeof(ObjectionRaised), typeof(ObjectionIntegrated),
        typeof(ProposalAdopted), typeof(ProposalWithdrawn),
    ];

    private static void ForRebuilds(JasperFx.Events.Projections.AsyncOptions options)
    {
        options.BatchSize = 10_000;
        options.RebuildFlushThreshold = 50_000;
    }

    /// <summary>Marten event store and registry documents; inline projections give read-your-writes.</summary>
    public static WebApplicationBuilder AddGovernanceEventStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(GovernanceDatabase.ConnectionStringName)!;
        // For the few reads Marten's LINQ does not express (an organisation's events across its streams, lexemes).
        builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        // The live registry answers "who decides?" from memory; it follows every commit (DecisionRights/LiveRegistry).
        var commits = new CommitSignal();
        builder.Services.AddSingleton(commits);
        builder.Services.AddSingleton<Lexicon>();
        builder.Services.AddSingleton<LiveRegistry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveRegistry>());
        builder.Services.AddMarten(opts =>
            {
                opts.Listeners.Add(commits);
                opts.Connection(connectionString);
                // Stored governance changes are polymorphic ("op"); jsonb reorders keys, so the discriminator may come anywhere.
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json => json.AllowOutOfOrderMetadataProperties = true);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.AppendMode = EventAppendMode.Quick;
                opts.Events.EventNamingStyle = EventNamingStyle.SmarterTypeName;
                opts.Events.AddEventTypes(EventTypes);
                opts.Events.Upcast<Upcasting.RoleNamedV1, RoleRenamed>(Upcasting.RoleNamedV1Type, Upcasting.FromRoleNamedV1);

                // Inline: written with the events. ForRebuilds applies to rebuilds (the `rebuild` command):
                // aggregates read in large pages and written once per flush rather than once per event
                // (measured: the role projection's rebuild 76 → 61 s on 1.08M events; the same pages for
                // the event projections made them slower).
                opts.Projections.Add<OrganisationProjection>(ProjectionLifecycle.Inline, ForRebuilds);
                opts.Projections.Add<RoleProjection>(ProjectionLifecycle.Inline, ForRebuilds);
                opts.Projections.Add<DomainIndexProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<PersonProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<ProposalProjection>(ProjectionLifecycle.Inline, ForRebuilds);
                opts.Projections.Add<StreamOwnerProjection>(ProjectionLifecycle.Inline);

                opts.Schema.For<Role>().Duplicate(r => r.OrgId).Duplicate(r => r.CircleId).GinIndexJsonData();
                opts.Schema.For<DomainHolding>().Duplicate(h => h.OrgId).Duplicate(h => h.Key).Duplicate(h => h.RoleId);
                opts.Schema.For<StreamOwner>().Duplicate(o => o.OrgId);
                opts.Schema.For<Person>()
                    .Duplicate(p => p.OrgId)
                    .UniqueIndex(UniqueIndexType.Computed, "ux_person_org_email", p => p.OrgId, p => p.NormalizedEmail);

                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        return builder;
    }
}
