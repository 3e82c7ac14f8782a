using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Governance.Registry;
using Governance.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

/// <summary>
/// The live registry holds the organisations in use: one written before an instance started is loaded
/// on its first read, one no read uses is dropped, and either way it answers exactly as one that
/// stayed in memory, for questions, time travel, API keys and the rules a write is judged by.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RegistryMemoryTests(GovernanceApp app)
{
    private sealed record Organisation(Scenario Org, Guid Circle, Guid Refunds, Guid Ana, string ApiKey, string Before);

    /// <summary>An organisation with a sub-circle, domains with keywords, a filler, a policy with a limit, an API key, and a past.</summary>
    private async Task<Organisation> WrittenAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var circle = await org.CircleAsync(org.AnchorCircleId, "Customer Care", "customer-care");
        var refunds = (await org.AdoptAsync(circle, Change.CreateRole("Refunds Agent", "Customers made whole", ["Refunding customers"], ["customer-care/refunds"])))[0];
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(refunds, ana);
        var before = DateTimeOffset.UtcNow.ToString("O");
        await org.AdoptAsync(circle, Change.AddDomain(refunds, "customer-care/credit-notes", "voucher"),
            Change.AddPolicy(Change.Policy("Refund limit", "customer-care/refunds", Change.Grant(refunds, 500, "EUR"))));
        var key = (await (await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Desk", scopes = new[] { "registry:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        return new Organisation(org, circle, refunds, ana, key, Uri.EscapeDataString(before));
    }

    private static readonly string[] Reads =
    [
        "decision-makers?domain=customer-care/refunds&amount=300&currency=EUR",
        "decision-makers?domain=customer-care/refunds&amount=900&currency=EUR",
        "decision-makers?q=voucher",
        "decision-makers?q=refund%20a%20customer",
        "decision-makers?domain=customer-care/unknown",
        "roles?pageSize=50",
    ];

    /// <summary>Every read's answer through one client, in one string.</summary>
    private static async Task<string> AnswersAsync(HttpClient client, Organisation o)
    {
        var paths = Reads.Concat([$"people/{o.Ana}/decisions", $"circles/{o.Circle}", $"decision-makers?domain=customer-care/credit-notes&asOf={o.Before}",
            $"roles/{o.Circle}?asOf={o.Before}"]);
        var answers = new List<string>();
        foreach (var path in paths)
        {
            var response = await client.GetAsync($"{o.Org.Base}/{path}");
            var body = await response.Content.ReadAsStringAsync();
            // An answer as it stands now says when it was given.
            if (!path.Contains("asOf=", StringComparison.Ordinal)) body = Regex.Replace(body, "\"asOf\":\"[^\"]+\"", "\"asOf\":\"now\"");
            answers.Add($"{path} {(int)response.StatusCode} {body}");
        }
        return string.Join('\n', answers);
    }

    private static HttpClient SignedIn(WebApplicationFactory<Program> instance, AuthenticationHeaderValue? as_ = null)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = as_ ?? new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester"));
        return client;
    }

    [Fact]
    public async Task An_organisation_written_before_an_instance_started_is_loaded_on_its_first_read_and_answers_the_same()
    {
        var o = await WrittenAsync();
        var expected = await AnswersAsync(app.Client, o);

        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>());
        var registry = instance.Services.GetRequiredService<LiveRegistry>();
        registry.Holds(o.Org.OrgId).Should().BeFalse("start-up loads no organisation");
        // The first read is by the API key: its organisation is known without being in memory.
        var desk = SignedIn(instance, new AuthenticationHeaderValue("ApiKey", o.ApiKey));
        (await desk.GetAsync($"{o.Org.Base}/decision-makers?domain=customer-care/refunds")).StatusCode.Should().Be(HttpStatusCode.OK);
        registry.Holds(o.Org.OrgId).Should().BeTrue();

        (await AnswersAsync(SignedIn(instance), o)).Should().Be(expected);
    }

    [Fact]
    public async Task An_organisation_dropped_from_memory_answers_and_judges_writes_exactly_as_before()
    {
        // A budget of a few events: every organisation not read within the last second is dropped.
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>
        {
            ["Governance__Registry__MemoryBudgetMB"] = "0.01",
            ["Governance__Registry__KeepInUse"] = "00:00:01",
        });
        var registry = instance.Services.GetRequiredService<LiveRegistry>();
        var o = await WrittenAsync();
        var other = SignedIn(instance);
        var expected = await AnswersAsync(app.Client, o);
        // The other instance follows the writes within milliseconds.
        for (var i = 0; i < 50 && await AnswersAsync(other, o) != expected; i++) await Task.Delay(100);
        (await AnswersAsync(other, o)).Should().Be(expected);

        await UntilDroppedAsync(registry, o.Org.OrgId);
        (await AnswersAsync(other, o)).Should().Be(expected);

        // A write judged on the reloaded organisation: its governance version and its domains are all there.
        await UntilDroppedAsync(registry, o.Org.OrgId);
        var write = new HttpRequestMessage(HttpMethod.Post, $"{o.Org.Base}/circles/{o.Circle}/governance")
        {
            Content = JsonContent.Create(new { changes = new[] { Change.CreateRole("Second Agent", domains: ["customer-care/refunds"]) } }),
        };
        write.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        await (await other.SendAsync(write)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await UntilDroppedAsync(registry, o.Org.OrgId);
        var stale = new HttpRequestMessage(HttpMethod.Post, $"{o.Org.Base}/circles/{o.Circle}/governance")
        {
            Content = JsonContent.Create(new { changes = new[] { Change.CreateRole("Second Agent") } }),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await (await other.SendAsync(stale)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_organisation_in_use_stays_in_memory_even_over_the_budget()
    {
        // Over the budget as before, but in use (read within the last minute, the default): it stays.
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string> { ["Governance__Registry__MemoryBudgetMB"] = "0.01" });
        var registry = instance.Services.GetRequiredService<LiveRegistry>();
        var o = await WrittenAsync();
        (await SignedIn(instance).GetAsync($"{o.Org.Base}/decision-makers?domain=customer-care/refunds")).StatusCode.Should().Be(HttpStatusCode.OK);
        registry.Holds(o.Org.OrgId).Should().BeTrue();

        // Ten eviction rounds, and twice the second after which it used to be dropped.
        await Task.Delay(TimeSpan.FromSeconds(2));
        registry.Holds(o.Org.OrgId).Should().BeTrue("an organisation read within Governance:Registry:KeepInUse is in use");
    }

    [Fact]
    public async Task An_organisation_loaded_from_its_snapshot_and_the_events_after_it_answers_as_a_full_replay()
    {
        var o = await WrittenAsync();
        // An instance started now loads the organisation with all of its events, and stores its snapshot.
        var store = app.Services.GetRequiredService<IDocumentStore>();
        OrganisationSnapshot snapshot;
        await using (var first = AnotherInstance.Start(app, new Dictionary<string, string> { ["Governance__Registry__SnapshotAfter"] = "1" }))
        {
            (await SignedIn(first).GetAsync($"{o.Org.Base}/decision-makers?domain=customer-care/refunds")).StatusCode.Should().Be(HttpStatusCode.OK);
            // Stored once the question is answered.
            snapshot = await SnapshotAsync(store, o.Org.OrgId, s => s.Code == OrganisationSnapshot.CurrentCode);
        }
        // Events after the snapshot: the tail a load folds on top of it.
        var bea = await o.Org.PersonAsync("Bea");
        await o.Org.AdoptAsync(o.Circle, Change.UpdateRole(o.Refunds, name: "Refunds Lead"), Change.RemoveDomain(o.Refunds, "customer-care/credit-notes"));
        await o.Org.AssignAsync(o.Refunds, bea, "Large refunds");
        var expected = await AnswersAsync(app.Client, o);
        expected.Should().Contain("Refunds Lead").And.Contain("Large refunds");

        await using (var second = AnotherInstance.Start(app, new Dictionary<string, string>()))
        {
            (await AnswersAsync(SignedIn(second), o)).Should().Be(expected);
            // Its whole registry, not only what the answers show, equals a full replay of the organisation's events.
            var live = await second.Services.GetRequiredService<LiveRegistry>().ReadAsync(o.Org.OrgId, null, now => Described(now!), CancellationToken.None);
            await using var session = store.QuerySession();
            var replayed = await Replay.OrganisationAsync(session, o.Org.OrgId, DateTimeOffset.MaxValue, CancellationToken.None);
            Described(replayed.Snapshot(DateTimeOffset.UtcNow, replayed.Sequence)!).Should().Be(live);
            // And its history, the snapshot's joined to what came after, equals a replay up to every instant an event made.
            var registry = second.Services.GetRequiredService<LiveRegistry>();
            var times = new List<DateTimeOffset>();
            await foreach (var e in Replay.EventsAsync(session, o.Org.OrgId, DateTimeOffset.MaxValue, CancellationToken.None)) times.Add(e.Timestamp);
            foreach (var instant in times.SelectMany(t => new[] { t.AddTicks(-1), t }).Distinct())
            {
                var then = await Replay.OrganisationAsync(session, o.Org.OrgId, instant, CancellationToken.None);
                var expectedThen = then.Organisation is null ? "none" : Described(then.Snapshot(instant, then.Sequence)!, past: true);
                (await registry.ReadAsync(o.Org.OrgId, view => view.At(instant) is { } past ? Described(past, past: true) : "none", CancellationToken.None, asOf: instant))
                    .Should().Be(expectedThen, $"the history at {instant:O} must equal a replay up to it");
            }
        }

        // What a load reads is the snapshot: one altered by hand (a role the later events leave alone) shows in the answers ...
        var now = snapshot.ReadNow();
        var altered = now with { Roles = [.. now.Roles.Select(r => r.Id == o.Circle ? r with { Name = "Altered" } : r)] };
        await StoreAsync(store, OrganisationSnapshot.Of(o.Org.OrgId, altered, snapshot.History, snapshot.Watermark, snapshot.TakenAt));
        await using (var third = AnotherInstance.Start(app, new Dictionary<string, string>()))
        {
            (await AnswersAsync(SignedIn(third), o)).Should().Contain("\"Altered\"");
        }
        // ... unless another version of the code wrote it: then it is ignored, and replaced by a full load's.
        var older = OrganisationSnapshot.Of(o.Org.OrgId, altered, snapshot.History, snapshot.Watermark, snapshot.TakenAt);
        older.Code = "an-older-build";
        await StoreAsync(store, older);
        OrganisationSnapshot replaced;
        await using (var fourth = AnotherInstance.Start(app, new Dictionary<string, string> { ["Governance__Registry__SnapshotAfter"] = "1" }))
        {
            (await AnswersAsync(SignedIn(fourth), o)).Should().Be(expected);
            replaced = await SnapshotAsync(store, o.Org.OrgId, s => s.Code == OrganisationSnapshot.CurrentCode);
        }
        replaced.Watermark.Should().BeGreaterThan(snapshot.Watermark);
        replaced.ReadNow().Roles.Single(r => r.Id == o.Refunds).Name.Should().Be("Refunds Lead");
        OrganisationSnapshot.Unpack<RegistryHistory.State>(replaced.History).Roles[o.Refunds][^1].Role!.Name.Should().Be("Refunds Lead");
    }

    /// <summary>
    /// Everything a registry holds, in one string; in the <paramref name="past"/>, the organisation's admins and
    /// API keys are as they stand (they are not read as of an instant: docs/architecture.md).
    /// </summary>
    private static string Described(IRegistrySnapshot registry, bool past = false) => JsonSerializer.Serialize(new
    {
        Organisation = past ? registry.Organisation with { Admins = [], ApiKeys = [] } : registry.Organisation,
        Roles = registry.Roles.Values.OrderBy(r => r.Id),
        People = registry.People.Values.OrderBy(p => p.Id),
        Versions = registry.Circles.OrderBy(c => c.Id).Select(c => registry.GovernanceVersion(c.Id)),
        Holders = registry.Roles.Values.SelectMany(r => r.Domains).Select(d => d.Key).Distinct().Order().Select(k => registry.HoldersOf(k)),
    });

    /// <summary>The organisation's snapshot once it is as wanted (within 5 s).</summary>
    private static async Task<OrganisationSnapshot> SnapshotAsync(IDocumentStore store, Guid orgId, Func<OrganisationSnapshot, bool> wanted)
    {
        for (var i = 0; ; i++)
        {
            await using var session = store.QuerySession();
            var snapshot = await session.LoadAsync<OrganisationSnapshot>(orgId);
            if (snapshot is not null && wanted(snapshot)) return snapshot;
            i.Should().BeLessThan(50, "the snapshot is stored right after the load that needed it");
            await Task.Delay(100);
        }
    }

    private static async Task StoreAsync(IDocumentStore store, OrganisationSnapshot snapshot)
    {
        await using var session = store.LightweightSession();
        session.Store(snapshot);
        await session.SaveChangesAsync();
    }

    private static async Task UntilDroppedAsync(LiveRegistry registry, Guid orgId)
    {
        for (var i = 0; i < 100 && registry.Holds(orgId); i++) await Task.Delay(100);
        registry.Holds(orgId).Should().BeFalse("an organisation over the memory budget and not read for a second is dropped");
    }
}
