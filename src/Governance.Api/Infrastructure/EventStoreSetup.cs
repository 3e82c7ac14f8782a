using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace Governance.Infrastructure;

/// <summary>
/// The Marten event store and document store, on the one connection pool of the service. Each part
/// of the domain registers its own events, projections and documents (e.g. <c>AddRoles()</c>).
/// </summary>
public static class EventStoreSetup
{
    /// <summary>
    /// Connections the service may hold open, unless the connection string says otherwise: well
    /// under PostgreSQL's default limit of 100, so two instances and an operator's tools fit beside
    /// each other (Npgsql's own default is 100 per pool).
    /// </summary>
    public const int DefaultMaxPoolSize = 40;

    /// <summary>The setting that keeps the service from changing the schema (a <c>db-apply</c> Job does it once per release).</summary>
    public const string ApplySchemaOnStart = "Governance:Schema:ApplyOnStart";

    public static WebApplicationBuilder AddGovernanceEventStore(this WebApplicationBuilder builder, SchemaOnStart schema)
    {
        // One pool: Marten, Wolverine's Marten integration and the few raw reads (export, lexemes) share it.
        // Named: Npgsql's metrics label the pool with its name, else with the connection string (host, user, database).
        builder.Services.AddNpgsqlDataSource(WithServiceDefaults(builder.Configuration.GetConnectionString(GovernanceDatabase.ConnectionStringName)!),
            dataSource => dataSource.Name = "governance");
        var marten = builder.Services.AddMarten(opts =>
            {
                // Stored governance changes are polymorphic ("op"); jsonb reorders keys, so the discriminator may come anywhere.
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json => json.AllowOutOfOrderMetadataProperties = true);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.AppendMode = EventAppendMode.Quick;
                opts.Events.EventNamingStyle = EventNamingStyle.SmarterTypeName;
                // Who did it (the actor header) and the request's correlation id, on every event.
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                // Only a start that applies the schema creates what is missing; one on a schema this build stamped compares nothing.
                opts.AutoCreateSchemaObjects = schema == SchemaOnStart.Apply ? AutoCreate.CreateOrUpdate : AutoCreate.None;
                opts.Storage.ExtendedSchemaObjects.Add(SchemaStamp.Definition());
                // A rebuild's pure inserts (the stream owners) go through PostgreSQL's COPY (P4, docs/benchmarks.md).
                opts.Projections.RebuildWithBulkCopy = true;
                // The async daemon's leader lock held by a transaction (pg_try_advisory_xact_lock on a connection of its own):
                // the session-level lock of the DistributedLock.Postgres served here refuses a data source (docs/webhooks.md).
                opts.Events.UseAdvisoryLockTransaction = true;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions();
        if (schema == SchemaOnStart.Apply) marten.ApplyAllDatabaseChangesOnStartup();
        if (schema == SchemaOnStart.Check) builder.Services.AddHostedService<SchemaCheck>();
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<SchemaStamp.Recorder>(services, schema));
        // The outbox for handlers and endpoints; Marten's async daemon, on one instance of the fleet at a time (an
        // advisory lock; another takes over when it stops), reads the events webhook subscribers hear of (docs/webhooks.md).
        marten.IntegrateWithWolverine().AddAsyncDaemon(DaemonMode.HotCold);
        return builder;
    }

    /// <summary>
    /// Statements Npgsql prepares once they have run twice on a connection, unless the connection
    /// string says otherwise (<c>Max Auto Prepare</c>): a governance write runs about fifteen, and
    /// PostgreSQL parsed and planned each every time (measured: 681 → 741–875 writes/s, P3 in
    /// docs/benchmarks.md). Marten names its columns, so a schema change adding columns does not
    /// break a prepared statement; PostgreSQL re-plans it.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 100;

    /// <summary>
    /// The connection string with the service's defaults (<see cref="DefaultMaxPoolSize"/>,
    /// <see cref="DefaultMaxAutoPrepare"/>) for each of the two it does not set itself.
    /// </summary>
    public static string WithServiceDefaults(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers for every keyword it knows; read what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }
            .Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Overlaps(["MAXIMUMPOOLSIZE", "MAXPOOLSIZE"])) settings.MaxPoolSize = DefaultMaxPoolSize;
        if (!written.Overlaps(["MAXAUTOPREPARE", "AUTOPREPAREMINUSAGES"]))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
            settings.AutoPrepareMinUsages = 2;
        }
        return settings.ConnectionString;
    }

    /// <summary>
    /// For aggregations when rebuilt (the `rebuild` command): events read in large pages and
    /// documents written once per flush rather than once per event (measured: the role
    /// projection's rebuild 76 → 61 s on 1.08M events; the same pages for the event projections
    /// made them slower).
    /// </summary>
    public static void RebuildInLargePages(AsyncOptions options)
    {
        options.BatchSize = 10_000;
        options.RebuildFlushThreshold = 50_000;
    }
}
