using System.Net.Http.Headers;
using Governance.Identity;
using Governance.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Support;

/// <summary>
/// One real PostgreSQL and one service host for the whole test run. Tests isolate themselves by
/// founding their own organisation. GOVERNANCE_TEST_CONNECTION points the run at an existing database.
/// </summary>
public sealed class GovernanceApp : IAsyncLifetime
{
    private EmbeddedPostgres? _database;
    private WebApplicationFactory<Program>? _factory;

    /// <summary>The key tests sign their tokens with (the service is configured with it: real authentication, no development mode).</summary>
    public const string SigningKey = "governance-tests-signing-key-not-a-secret-0123456789";

    /// <summary>The tester founds every test's organisation, so is its first person and admin.</summary>
    public const string TesterEmail = "tester@example.org";

    /// <summary>Signed in as the tester (an admin of every organisation a test founds with it).</summary>
    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>The in-process server, for requests a client cannot shape (a remote address, say).</summary>
    public Microsoft.AspNetCore.TestHost.TestServer Server => _factory!.Server;

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
            Environment.SetEnvironmentVariable("Governance__Auth__SigningKey", SigningKey);
            // Deadlines of asynchronous proposals are looked for four times a second (5 s in service), so tests wait little.
            Environment.SetEnvironmentVariable("Governance__Proposals__DeadlineCheckInterval", "00:00:00.250");
            // Webhooks go to the tests' receivers on loopback, and give up after three quick attempts.
            Environment.SetEnvironmentVariable("Governance__Webhooks__AllowPrivateTargets", "true");
            Environment.SetEnvironmentVariable("Governance__Webhooks__FirstRetryDelay", "00:00:00.200");
            Environment.SetEnvironmentVariable("Governance__Webhooks__MaxAttempts", "3");
            _factory = AnotherInstance.Factory();
            Client = ClientFor(TesterEmail, "Tester");
            // Tests begin once the service is ready (its registry follows the event store), as a load balancer sends traffic.
            for (var i = 0; i < 300 && (await Client.GetAsync("/health/ready")).StatusCode != System.Net.HttpStatusCode.OK; i++) await Task.Delay(100);
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop the database here.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A token of the test signing key for a person (subject: the e-mail unless given).</summary>
    public static string TokenFor(string email, string name, string? subject = null, IEnumerable<string>? scopes = null, bool? emailVerified = null) =>
        LocalTokens.Issue(SigningKey, subject ?? email, email, name, TimeSpan.FromHours(1), scopes, emailVerified);

    /// <summary>A client that sends a person's token; their standing in each organisation is what it is.</summary>
    public HttpClient ClientFor(string email, string name, string? subject = null) =>
        ClientWith(new AuthenticationHeaderValue("Bearer", TokenFor(email, name, subject)));

    /// <summary>A client signed in as a person added with <see cref="Scenario.PersonAsync"/> (by their e-mail).</summary>
    public HttpClient ClientOf(string name) => ClientFor(Scenario.EmailOf(name), name);

    public HttpClient ClientWith(AuthenticationHeaderValue? authorization)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
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
