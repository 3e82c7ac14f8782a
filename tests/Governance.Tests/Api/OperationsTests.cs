using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Infrastructure;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class OperationsTests(GovernanceApp app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_while_the_database_is_up(string path)
    {
        (await app.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_of_the_contract()
    {
        var document = JsonDocument.Parse(await app.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths");

        string[] expected =
        [
            "/api/orgs", "/api/orgs/{orgId}", "/api/orgs/{orgId}/people", "/api/orgs/{orgId}/people/{personId}",
            "/api/orgs/{orgId}/circles/{circleId}/governance", "/api/orgs/{orgId}/roles/{roleId}/assignments",
            "/api/orgs/{orgId}/roles/{roleId}/assignments/{personId}", "/api/orgs/{orgId}/roles/{roleId}",
            "/api/orgs/{orgId}/circles/{circleId}", "/api/orgs/{orgId}/roles", "/api/orgs/{orgId}/decision-makers",
            "/api/orgs/{orgId}/roles/{roleId}/history", "/api/orgs/{orgId}/events",
            "/api/orgs/{orgId}/circles/{circleId}/proposals", "/api/orgs/{orgId}/proposals/{proposalId}",
            "/api/orgs/{orgId}/proposals/{proposalId}/objections", "/api/orgs/{orgId}/proposals/{proposalId}/objections/{objectionId}/integrate",
            "/api/orgs/{orgId}/proposals/{proposalId}/adopt", "/api/orgs/{orgId}/proposals/{proposalId}/withdraw",
            "/api/orgs/{orgId}/circles/{circleId}/elections", "/api/orgs/{orgId}/decision-makers:batch",
            "/api/orgs/{orgId}/people/{personId}/decisions", "/api/orgs/{orgId}/people/{personId}/history",
            "/api/orgs/{orgId}/domains/{key}/history",
        ];
        paths.EnumerateObject().Select(p => p.Name).Should().Contain(expected);
        var governance = paths.GetProperty("/api/orgs/{orgId}/circles/{circleId}/governance").GetProperty("post");
        governance.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().Should().EndWith("GovernanceRequest");
        governance.GetProperty("responses").EnumerateObject().Select(r => r.Name).Should().Contain(["200", "400", "404", "409", "422"]);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        schemas.EnumerateObject().Select(s => s.Name).Should().Contain(n => n.EndsWith("CreateRole")).And.Contain(n => n.EndsWith("DecisionResponse"));
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await app.Client.GetAsync("/api/nothing-here");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_registry_that_cannot_catch_up_answers_503_not_500()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var database = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var blocker = await database.OpenConnectionAsync();
        await using var lockHeld = await blocker.BeginTransactionAsync();
        // The live registry's reads of the event store now wait behind this lock.
        await using (var command = new NpgsqlCommand("lock table mt_events in access exclusive mode", blocker, lockHeld))
        {
            await command.ExecuteNonQueryAsync();
        }
        // A commit of this process (one that does not touch the events) the registry must read before answering.
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new IdempotentResponse($"test:{Guid.NewGuid():N}", org.OrgId, "k", "h", 200, null, null, null, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        var response = await app.Client.GetAsync($"{org.Base}/decision-makers?domain=refunds");
        await lockHeld.RollbackAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("registry-unavailable");
        (await app.Client.GetAsync($"{org.Base}/decision-makers?domain=refunds")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void The_service_keeps_one_connection_pool_of_40_preparing_statements_unless_the_connection_string_says_otherwise()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();

        new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize.Should().Be(EventStoreSetup.DefaultMaxPoolSize).And.Be(40);
        ((Weasel.Postgresql.PostgresqlDatabase)app.Services.GetRequiredService<IDocumentStore>().Storage.Database).DataSource
            .Should().BeSameAs(dataSource, "Marten shares the one pool");
        new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare.Should().Be(EventStoreSetup.DefaultMaxAutoPrepare);
        new NpgsqlConnectionStringBuilder(EventStoreSetup.WithServiceDefaults("Host=db;Database=g;Maximum Pool Size=7")).MaxPoolSize.Should().Be(7);
        new NpgsqlConnectionStringBuilder(EventStoreSetup.WithServiceDefaults("Host=db;Database=g;maxpoolsize=9")).MaxPoolSize.Should().Be(9);
        var plain = new NpgsqlConnectionStringBuilder(EventStoreSetup.WithServiceDefaults("Host=db;Database=g"));
        (plain.MaxPoolSize, plain.MaxAutoPrepare, plain.AutoPrepareMinUsages).Should().Be((40, 100, 2));
        new NpgsqlConnectionStringBuilder(EventStoreSetup.WithServiceDefaults("Host=db;Database=g;Max Auto Prepare=0")).MaxAutoPrepare.Should().Be(0);
    }
}
