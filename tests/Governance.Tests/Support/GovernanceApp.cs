using Governance.Infrastructure;
using JasperFx.CommandLine;
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

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.StopAndDeleteAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<GovernanceApp>
{
    public const string Name = "api";
}
