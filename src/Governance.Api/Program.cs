using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Mcp;
using Governance.Meetings;
using Governance.Organisations;
using Governance.People;
using Governance.Proposals;
using Governance.Registry;
using Governance.Roles;
using Governance.Telemetry;
using Governance.Web;
using Governance.Webhooks;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);
if (args is [TokenCommand.Name, ..]) return TokenCommand.Run(args, builder.Configuration);
EmbeddedPostgres? embeddedDatabase;
SchemaOnStart schema;
try
{
    // Secure by default: without an auth configuration (outside Development) the service does not start, not even its database.
    builder.AddGovernanceIdentity(args);
    embeddedDatabase = await builder.UseConfiguredOrEmbeddedDatabaseAsync();
    schema = await SchemaStamp.DecideAsync(builder.Configuration, args);
}
catch (Exception e) when (e is AuthNotConfiguredException or EmbeddedPostgresUnavailableException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

try
{
    builder.UseDefaultAddressUnlessConfigured()
        .AddGovernanceEventStore(schema)
        .AddOrganisations()
        .AddPeople()
        .AddRoles()
        .AddGovernanceChanges()
        .AddProposals()
        .AddMeetings()
        .AddWebhooks()
        .AddGovernanceRegistry()
        .AddGovernanceProblems()
        .AddGovernanceOpenApi()
        .AddGovernanceHealth()
        .AddGovernanceTelemetry()
        .AddGovernanceMcp()
        .AddIdempotencyKeys()
        .AddJsonBodies()
        .AddCrossOrigin()
        .AddWebApp();
    builder.Host.UseWolverine(opts =>
    {
        // Each handler's Marten session is committed by Wolverine: events and inline projections in one transaction.
        opts.Policies.AutoApplyTransactions();
        // Handlers are pre-generated into Internal/Generated (`dotnet run -- codegen write`): no Roslyn
        // compilation at start-up. In Development a missing one is generated and written there.
        opts.CodeGeneration.TypeLoadMode = builder.Environment.IsDevelopment() ? TypeLoadMode.Auto : TypeLoadMode.Static;
        // Its message tables come with the schema: built at start-up only where the event store's are.
        opts.AutoBuildMessageStorageOnStartup = schema == SchemaOnStart.Apply ? AutoCreate.CreateOrUpdate : AutoCreate.None;
    });
    builder.Services.AddWolverineHttp();
    builder.Services.AddSingleton(TimeProvider.System);

    var app = builder.Build();
    app.UseSecurityHeaders();
    app.UseCors();
    app.UseGovernanceProblems();
    // The OpenAPI document and its UI are public: clients are generated from them.
    app.UseGovernanceOpenApi();
    app.UseWebAppFiles();
    app.UseGovernanceIdentity();
    app.UseJsonBodies();
    app.UseIdempotencyKeys();
    app.MapGovernanceHealth();
    app.MapGovernanceMetrics();
    app.MapWolverineEndpoints(http =>
    {
        http.RejectUnparseableQueryValues = true;
        // Correlation ids sent as X-Correlation-ID reach the events' metadata (else Wolverine's trace id does).
        http.ApplyCorrelationIdHeaderToAllEndpoints = true;
        http.AddParameterHandlingStrategy<CallerParameterStrategy>();
        http.AddPolicy<RightsPolicy>();
        http.AddPolicy<ProblemResponsesPolicy>();
        http.AddPolicy<JsonBodyPolicy>();
        http.AddPolicy<IdempotencyPolicy>();
    });

    app.MapGovernanceMcp();
    app.MapWebApp();

    var started = false;
    app.Lifetime.ApplicationStarted.Register(() => started = true);
    var exitCode = await app.RunJasperFxCommands(args);
    // RunJasperFxCommands answers 0 even when Kestrel could not bind its port.
    return exitCode == 0 && CommandLine.ServesRequests(args) && !started ? 1 : exitCode;
}
finally
{
    if (embeddedDatabase is not null)
    {
        await embeddedDatabase.StopAsync();
    }
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
