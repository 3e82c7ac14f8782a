using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Wolverine.Marten;

namespace Governance.Infrastructure;

/// <summary>What a start of the service does to the database schema.</summary>
public enum SchemaOnStart
{
    /// <summary>Compares the schema with the configuration and brings it up to date (the default; every command).</summary>
    Apply,

    /// <summary>Compares only, and refuses to start on a schema <c>db-apply</c> has not brought up to date (<c>ApplyOnStart=false</c>).</summary>
    Check,

    /// <summary>Neither: this very build already applied or checked the schema of this database (its stamp is there).</summary>
    Current,
}

/// <summary>
/// The builds that brought this database's schema up to date, one row each. The schema is a function of the
/// code (no setting changes it), so a database stamped by this build needs no comparison at start: it cost a
/// third of the cold start (P7, docs/benchmarks.md), mostly PostgreSQL reading its catalogue. A schema changed
/// by hand since is not noticed at start; <c>db-assert</c> still compares.
/// </summary>
public static class SchemaStamp
{
    private const string Table = "public.governance_schema_stamp";

    /// <summary>
    /// This build: the module version ids of the assemblies that say what the schema is (the service's
    /// documents and projections, Marten's and Weasel's tables, Wolverine's message tables), hashed.
    /// </summary>
    public static readonly string CurrentBuild = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',',
        new[] { typeof(SchemaStamp), typeof(DocumentStore), typeof(PostgresqlDatabase), typeof(MartenIntegration) }
            .Select(type => type.Assembly.ManifestModule.ModuleVersionId)))))[..32];

    /// <summary>The table, part of the event store's schema (created by the start that applies it, or by <c>db-apply</c>).</summary>
    public static Table Definition()
    {
        var table = new Table(PostgresqlProvider.Instance.Parse(Table));
        table.AddColumn<string>("build").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("stamped_at").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    /// <summary>What this start does to the schema: commands always apply it; the service skips the comparison where its build stamped the database.</summary>
    public static async Task<SchemaOnStart> DecideAsync(IConfiguration configuration, string[] args)
    {
        if (!CommandLine.ServesRequests(args)) return SchemaOnStart.Apply;
        if (await IsStampedAsync(configuration.GetConnectionString(GovernanceDatabase.ConnectionStringName)!)) return SchemaOnStart.Current;
        return configuration.GetValue(EventStoreSetup.ApplySchemaOnStart, true) ? SchemaOnStart.Apply : SchemaOnStart.Check;
    }

    private static async Task<bool> IsStampedAsync(string connectionString)
    {
        // One connection outside the service's pool, closed after: the pool is not built yet. Named, as that pool is:
        // Npgsql's metrics label a pool with its name, else with its connection string.
        var once = new NpgsqlDataSourceBuilder(connectionString) { Name = "governance-schema-stamp" };
        once.ConnectionStringBuilder.Pooling = false;
        try
        {
            await using var dataSource = once.Build();
            await using var command = dataSource.CreateCommand($"select exists (select 1 from {Table} where build = $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = CurrentBuild });
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
        catch (NpgsqlException)
        {
            // Unreachable now: the start that compares the schema reports it as it always did.
            return false;
        }
    }

    /// <summary>
    /// Once the host started (the schema applied or checked, Wolverine's tables built), stamps the database with
    /// this build, or says that the comparison was skipped.
    /// </summary>
    internal sealed class Recorder(SchemaOnStart schema, NpgsqlDataSource dataSource, ILogger<Recorder> logger) : IHostedLifecycleService
    {
        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            var build = CurrentBuild;
            if (schema == SchemaOnStart.Current)
            {
                if (logger.IsEnabled(LogLevel.Information)) logger.LogInformation("Schema not compared at start: this build ({Build}) brought this database up to date.", build);
                return;
            }
            try
            {
                await using var command = dataSource.CreateCommand($"insert into {Table} (build) values ($1) on conflict do nothing");
                command.Parameters.Add(new NpgsqlParameter { Value = build });
                await command.ExecuteNonQueryAsync(cancellationToken);
                if (logger.IsEnabled(LogLevel.Information)) logger.LogInformation("Schema up to date, stamped for this build ({Build}): the next start does not compare it.", build);
            }
            catch (NpgsqlException e)
            {
                // Not stamped: the next start compares the schema again, as before.
                logger.LogWarning(e, "Could not stamp the database schema as current for this build ({Build}).", build);
            }
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
