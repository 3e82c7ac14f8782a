using Governance.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Governance.Tests.Support;

/// <summary>
/// One real PostgreSQL and one service host for the whole test run. Tests isolate themselves by
/// founding their own organisation. GOVERNANCE_TEST_CONNECTION points the run at an existing database.
/// </summary>
public sealed class GovernanceApp : IAsyncLifetime
{
    private EmbeddedPostgres? _database;
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = Environment.GetEnvironmentVariable("GOVERNANCE_TEST_CONNECTION") ?? "";
        if (ConnectionString.Length == 0)
        {
            var root = Path.Combine(Path.GetTempPath(), $"governance-tests-{Guid.NewGuid():N}");
            _database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(root, "governance_tests", Durable: false));
            ConnectionString = _database.ConnectionString;
        }
        try
        {
            // Read by WebApplication.CreateBuilder in Program, before the factory's own configuration applies.
            Environment.SetEnvironmentVariable("ConnectionStrings__Governance", ConnectionString);
            JasperFxEnvironment.AutoStartHost = true;
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                web.ConfigureServices(services =>
                {
                    services.RunWolverineInSoloMode();
                    services.DisableAllExternalWolverineTransports();
                });
            });
            Client = _factory.CreateClient();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop the database here.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The service's event types the store is configured with (each part registers its own); not
    /// Marten's own (e.g. stream compaction, unused here) nor old shapes kept only to be upcast.
    /// </summary>
    public IReadOnlyList<Type> RegisteredEventTypes() =>
        [.. Services.GetRequiredService<IDocumentStore>().Options.Events.AllKnownEventTypes().Select(e => e.EventType)
            .Where(t => t.Assembly == typeof(Program).Assembly && t.DeclaringType != typeof(Roles.Upcasting))];

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.StopAndDeleteAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<GovernanceApp>
{
    public const string Name = "api";
}
