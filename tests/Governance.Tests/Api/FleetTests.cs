using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Governance.Tests.Api;

/// <summary>Several instances on one database: each learns of the others' commits from PostgreSQL at once.</summary>
[Collection(ApiCollection.Name)]
public sealed class FleetTests(GovernanceApp app, ITestOutputHelper output)
{
    private static HttpClient SignedIn(WebApplicationFactory<Program> instance)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester"));
        return client;
    }

    /// <summary>Reads through the other instance until the answer shows the write; how long that took.</summary>
    private static async Task<TimeSpan> UntilSeenAsync(HttpClient other, string path, Func<JsonElement, bool> seen)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            var response = await other.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK && seen(await response.Content.ReadFromJsonAsync<JsonElement>())) return Stopwatch.GetElapsedTime(started);
        }
        return TimeSpan.MaxValue;
    }

    [Fact]
    public async Task Another_instance_answers_with_a_write_within_fifty_milliseconds()
    {
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>());
        var other = SignedIn(instance);
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        var people = new List<Guid>();
        for (var i = 0; i < 20; i++) people.Add(await org.PersonAsync($"Person {i}"));
        (await UntilSeenAsync(other, $"{org.Base}/people/{people[^1]}", _ => true)).Should().BeLessThan(TimeSpan.FromSeconds(5));

        var lags = new List<TimeSpan>();
        foreach (var person in people)
        {
            await org.AssignAsync(role, person);
            lags.Add(await UntilSeenAsync(other, $"{org.Base}/people/{person}", p => p.GetProperty("roles").GetArrayLength() == 1));
        }

        var ordered = lags.Order().ToList();
        var (p50, p95) = (ordered[ordered.Count / 2], ordered[(int)Math.Ceiling(ordered.Count * 0.95) - 1]);
        output.WriteLine($"another instance saw each of {lags.Count} assignments after p50 {p50.TotalMilliseconds:F1} ms, p95 {p95.TotalMilliseconds:F1} ms");
        p95.Should().BeLessThanOrEqualTo(TimeSpan.FromMilliseconds(50), "PostgreSQL notifies every instance of a commit; polling (200 ms) is only the fallback");
    }

    [Fact]
    public async Task Writes_through_two_instances_at_once_never_conflict_falsely()
    {
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>());
        var other = SignedIn(instance);
        var org = await Scenario.FoundAsync(app.Client);
        var circles = new List<Guid>();
        for (var i = 0; i < 12; i++) circles.Add(await org.CircleAsync(org.AnchorCircleId, $"Circle {i}", $"area-{i}"));

        // Each circle written once, half through each instance, all at once.
        var writes = circles.Select((circle, i) => (i % 2 == 0 ? app.Client : other)
            .PostAsJsonAsync($"{org.Base}/circles/{circle}/governance", new { changes = new[] { Change.CreateRole($"Role {i}") } }));
        var responses = await Task.WhenAll(writes);

        responses.Select(r => r.StatusCode).Where(s => s != HttpStatusCode.OK).Should().BeEmpty("different circles' governance never collides");
        // Two writers on one circle: one wins, the other is told to re-read (409), never a lost update.
        var clients = new[] { app.Client, other };
        var racing = await Task.WhenAll(clients.Select(client =>
            client.PostAsJsonAsync($"{org.Base}/circles/{circles[0]}/governance", new { changes = new[] { Change.CreateRole("Contested", domains: ["area-0/contested"]) } })));
        racing.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict || r.StatusCode == HttpStatusCode.UnprocessableEntity);
        var winner = clients[Array.FindIndex(racing, r => r.StatusCode == HttpStatusCode.OK)];
        // Read through the instance that wrote (read-your-writes); the other follows within milliseconds.
        (await org.As(winner).WhoDecidesAsync("area-0/contested")).GetProperty("role").GetProperty("name").GetString().Should().Be("Contested");
    }

    [Fact]
    public async Task A_write_through_one_instance_is_the_version_the_next_write_through_another_builds_on()
    {
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>());
        var other = SignedIn(instance);
        var org = await Scenario.FoundAsync(app.Client);
        var circle = await org.CircleAsync(org.AnchorCircleId, "Support", "support");

        // Alternately through each instance, each write at once after the last, each naming the version it builds on:
        // the instance judging it has read the other's commit (no false 409) and its roles (no duplicate domain).
        var clients = new[] { app.Client, other };
        for (var version = 0; version < 6; version++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{org.Base}/circles/{circle}/governance")
            {
                Content = JsonContent.Create(new { changes = new[] { Change.CreateRole($"Role {version}", domains: [$"support/area-{version}"]) } }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            var response = await clients[version % 2].SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            response.Headers.ETag!.Tag.Should().Be($"\"{version + 1}\"");
        }
        var duplicate = await other.PostAsJsonAsync($"{org.Base}/circles/{circle}/governance",
            new { changes = new[] { Change.CreateRole("Again", domains: ["support/area-4"]) } });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
