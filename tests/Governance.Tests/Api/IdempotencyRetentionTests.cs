using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Governance.Infrastructure;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Tests.Api;

/// <summary>Idempotency-Key answers expire after their retention and are deleted in the background; the clock is the test's.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyRetentionTests(GovernanceApp app)
{
    [Fact]
    public async Task A_key_answers_retries_for_its_retention_then_is_deleted_and_free_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>
        {
            ["Governance__Auth__Development"] = "true",
            ["Governance__Idempotency__Retention"] = "00:01:00",
            ["Governance__Idempotency__CleanupInterval"] = "00:00:10",
        }, services => services.AddSingleton<TimeProvider>(clock));
        using var client = instance.CreateClient();
        var org = await Scenario.FoundAsync(client);
        var store = instance.Services.GetRequiredService<IDocumentStore>();

        var first = await PostAsync(client, org, "Ana", "ana-key");
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromSeconds(30));
        var retry = await PostAsync(client, org, "Ana", "ana-key");
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        retry.Headers.Location.Should().Be(first.Headers.Location, "within its retention a key answers with the first answer");
        (await PostAsync(client, org, "Ben", "ben-key")).StatusCode.Should().Be(HttpStatusCode.Created);

        clock.Advance(TimeSpan.FromSeconds(31));
        (await KeysAsync(store, org, "ana-key", gone: true)).Should().BeEmpty("the cleanup deletes an answer past its retention");
        (await KeysAsync(store, org, "ben-key", gone: false)).Should().ContainSingle("an answer within its retention stays");
        // The same key with another request: no longer a misuse (422), a new request.
        var again = await PostAsync(client, org, "Ana Again", "ana-key");
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        again.Headers.Contains("Idempotent-Replayed").Should().BeFalse("an expired key is a new request");
        again.Headers.Location.Should().NotBe(first.Headers.Location);

        clock.Advance(TimeSpan.FromSeconds(30));
        var benAfter = await PostAsync(client, org, "Ben Again", "ben-key");
        benAfter.Headers.Contains("Idempotent-Replayed").Should().BeFalse("past its retention, the same key is a new request whether or not the cleanup came first");
        benAfter.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Scenario org, string name, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{org.Base}/people") { Content = JsonContent.Create(new { name, email = Scenario.EmailOf(name) }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>The answers stored for a key, once the background cleanup had its chance (polled, since it runs on its own).</summary>
    private static async Task<IReadOnlyList<IdempotentResponse>> KeysAsync(IDocumentStore store, Scenario org, string key, bool gone)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.QuerySession();
            var stored = await session.Query<IdempotentResponse>().Where(r => r.OrgId == org.OrgId && r.Key == key).ToListAsync();
            if (stored.Count == 0 == gone || attempt == 100) return stored;
            await Task.Delay(100);
        }
    }
}
