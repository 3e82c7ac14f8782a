using System.Net;
using FluentAssertions;
using Governance.Infrastructure;
using Governance.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Governance.Tests.Api;

/// <summary>Idempotency-Key answers expire after their retention and are deleted in the background; the clock is the test's.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyRetentionTests(GovernanceApp app)
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromSeconds(10);

    private WebApplicationFactory<Program> Start(FakeTimeProvider clock, TimeSpan cleanupInterval) =>
        AnotherInstance.Start(app, new Dictionary<string, string>
        {
            ["Governance__Auth__Development"] = "true",
            ["Governance__Idempotency__Retention"] = Retention.ToString(),
            ["Governance__Idempotency__CleanupInterval"] = cleanupInterval.ToString(),
        }, services => services.AddSingleton<TimeProvider>(clock));

    [Fact]
    public async Task A_key_answers_retries_for_its_retention_then_is_a_new_request()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // No cleanup while the test runs: the request itself finds the answer expired.
        await using var instance = Start(clock, TimeSpan.FromDays(1));
        using var client = instance.CreateClient();
        var org = await Scenario.FoundAsync(client);

        var first = await org.JoinAsync("Ana", key: "ana-key");
        clock.Advance(Retention - TimeSpan.FromSeconds(1));
        var retry = await org.JoinAsync("Ana", key: "ana-key");
        clock.Advance(TimeSpan.FromSeconds(1));
        // The same key with another request: no longer a misuse (422) but a new request.
        var again = await org.JoinAsync("Ana Again", key: "ana-key");
        var retryOfAgain = await org.JoinAsync("Ana Again", key: "ana-key");

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.GetValues(Idempotency.ReplayedHeader).Should().Equal("true");
        retry.Headers.Location.Should().Be(first.Headers.Location, "within its retention a key answers with the first answer");
        again.StatusCode.Should().Be(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        again.Headers.Contains(Idempotency.ReplayedHeader).Should().BeFalse("an expired key is a new request");
        again.Headers.Location.Should().NotBe(first.Headers.Location);
        retryOfAgain.Headers.Location.Should().Be(again.Headers.Location, "the new answer replaces the expired one");
    }

    [Fact]
    public async Task The_cleanup_deletes_expired_answers_in_batches_around_rows_others_hold_and_keeps_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = Start(clock, CleanupInterval);
        using var client = instance.CreateClient();
        var org = await Scenario.FoundAsync(client);
        var store = instance.Services.GetRequiredService<IDocumentStore>();
        var expired = Enumerable.Range(0, 2 * IdempotencyCleanup.BatchSize + 500)
            .Select(i => Answer(org, $"old-{i}", clock.GetUtcNow() - Retention - TimeSpan.FromSeconds(1))).ToList();
        await store.BulkInsertAsync([.. expired, Answer(org, "fresh", clock.GetUtcNow())]);

        // Another transaction holds ten expired answers (as an instance deleting them would).
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"select id from {store.Options.Schema.For<IdempotentResponse>()} where org_id = @org and id like 'old-%' limit 10 for update", connection, transaction))
        {
            hold.Parameters.AddWithValue("org", org.OrgId);
            await hold.ExecuteNonQueryAsync();
        }
        clock.Advance(CleanupInterval);
        (await RemainingAsync(store, org, until: 11)).Should().Be(11, "all but the ten held rows and the fresh answer are deleted");
        (await org.JoinAsync("Ben", key: "ben-key")).StatusCode.Should().Be(HttpStatusCode.Created, "writes go on while the cleanup runs");

        await transaction.RollbackAsync();
        clock.Advance(CleanupInterval);
        (await RemainingAsync(store, org, until: 2)).Should().Be(2, "the held rows go at the next round; the fresh answer and Ben's stay");
    }

    private static IdempotentResponse Answer(Scenario org, string id, DateTimeOffset createdAt) =>
        new(id + org.OrgId.ToString("N"), org.OrgId, id, "hash", 201, null, null, null, createdAt);

    /// <summary>The organisation's stored answers once there are <paramref name="until"/> (polled: the cleanup runs on its own).</summary>
    private static async Task<int> RemainingAsync(IDocumentStore store, Scenario org, int until)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.QuerySession();
            var count = await session.Query<IdempotentResponse>().CountAsync(r => r.OrgId == org.OrgId);
            if (count == until || attempt == 100) return count;
            await Task.Delay(100);
        }
    }
}
