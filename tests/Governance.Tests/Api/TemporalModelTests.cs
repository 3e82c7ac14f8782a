using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Registry;
using Governance.Roles;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

/// <summary>
/// The temporal read model that serves <c>asOf</c> equals a full replay of the record (the
/// reference) at every instant of random histories written through the API.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TemporalModelTests(GovernanceApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task At_every_instant_of_a_random_history_the_temporal_model_equals_a_replay(int seed)
    {
        var org = await Scenario.FoundAsync(app.Client);
        await WriteRandomHistoryAsync(org, new Random(seed), steps: 40);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var times = new List<DateTimeOffset>();
        var roleIds = new List<Guid>();
        await foreach (var recorded in Replay.EventsAsync(session, org.OrgId, DateTimeOffset.MaxValue, CancellationToken.None))
        {
            times.Add(recorded.Timestamp);
            if (recorded.Data is RoleCreated created) roleIds.Add(created.RoleId);
        }
        var instants = times.SelectMany(t => new[] { t.AddTicks(-1), t, t.AddTicks(1) }).Prepend(times[0].AddDays(-1)).Distinct().Order().ToList();
        var keys = Enumerable.Range(0, 12).Select(i => $"area-{i}").Concat(Enumerable.Range(0, 12).Select(i => $"area-{i}/part")).ToList();
        // The registry has read everything written (a question waits for that).
        await org.WhoDecidesAsync("area-0");
        var registry = app.Services.GetRequiredService<LiveRegistry>();

        foreach (var instant in instants)
        {
            var replayed = await Replay.OrganisationAsync(session, org.OrgId, instant, CancellationToken.None);
            var expected = Describe(replayed.Snapshot(instant, replayed.Sequence), keys, roleIds);
            var actual = await registry.ReadAsync(org.OrgId, view => Describe(view.At(instant), keys, roleIds), CancellationToken.None, asOf: instant);

            actual.Should().Be(expected, $"the registry at {instant:O} must equal a replay up to it");
        }
    }

    [Fact]
    public async Task Asking_as_of_an_instant_does_not_replay_but_gives_the_same_answer_as_then()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(role, ana);
        var then = await org.WhoDecidesAsync("refunds");
        var instant = DateTimeOffset.UtcNow;
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(role));

        var now = await org.WhoDecidesAsync("refunds");
        var asOf = await org.WhoDecidesAsync("refunds", $"&asOf={Uri.EscapeDataString(instant.ToString("O"))}");

        now.GetProperty("status").GetString().Should().Be("NoDomain");
        asOf.GetProperty("status").GetString().Should().Be("Resolved");
        asOf.GetProperty("decisionMakers").GetRawText().Should().Be(then.GetProperty("decisionMakers").GetRawText());
        asOf.GetProperty("chain").GetRawText().Should().Be(then.GetProperty("chain").GetRawText());
        asOf.GetProperty("sequence").GetInt64().Should().Be(then.GetProperty("sequence").GetInt64());
        (await app.Client.GetAsync($"{org.Base}/roles/{role}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await org.GetAsync($"roles/{role}?asOf={Uri.EscapeDataString(instant.ToString("O"))}")).GetProperty("name").GetString().Should().Be("Refunds Agent");
    }

    private static string Describe(IRegistrySnapshot? registry, IEnumerable<string> keys, IEnumerable<Guid> roleIds) => registry is null ? "none" : JsonSerializer.Serialize(new
    {
        registry.Sequence,
        registry.Organisation,
        Roles = registry.Roles.OrderBy(r => r.Key).ToList(),
        People = registry.People.OrderBy(p => p.Key).ToList(),
        Versions = roleIds.Select(registry.GovernanceVersion).ToList(),
        Holders = keys.Select(k => registry.HoldersOf(k).OrderBy(h => h.Id, StringComparer.Ordinal).ToList()).ToList(),
        Inside = roleIds.Select(id => registry.RolesIn(id).Select(r => r.Id).Order().ToList()).ToList(),
        Circles = registry.Circles.Select(r => r.Id).Order().ToList(),
        Filled = registry.People.Keys.Order().Select(p => registry.RolesFilledBy(p).Select(r => r.Id).Order().ToList()).ToList(),
    }, Json);

    /// <summary>Random lawful changes: roles and circles with domains, renames, accountabilities, domains given and taken, fillers, policies, removals, people changed and removed.</summary>
    private static async Task WriteRandomHistoryAsync(Scenario org, Random random, int steps)
    {
        var circles = new List<Guid> { org.AnchorCircleId };
        var roles = new List<(Guid Id, Guid Circle)>();
        var people = new List<Guid>();
        var held = new Dictionary<string, Guid>();
        var next = 0;
        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(10))
            {
                case 0 or 1:
                    {
                        var circle = circles[random.Next(circles.Count)];
                        var key = $"area-{next++ % 12}";
                        var isCircle = circle == org.AnchorCircleId && random.Next(3) == 0;
                        var domains = held.ContainsKey(key) || circle != org.AnchorCircleId ? Array.Empty<string>() : [key];
                        var id = (await org.AdoptAsync(circle, Change.CreateRole($"Role {step}", $"Purpose {step}", [$"Doing {step}"], domains, isCircle)))[0];
                        foreach (var d in domains) held[d] = id;
                        if (isCircle) circles.Add(id);
                        else roles.Add((id, circle));
                        break;
                    }
                case 2 when roles.Count > 0:
                    {
                        var (id, circle) = roles[random.Next(roles.Count)];
                        await org.AdoptAsync(circle, Change.UpdateRole(id, name: $"Renamed {step}"), Change.AddAccountability(id, $"Also {step}"));
                        break;
                    }
                case 3:
                    people.Add(await org.PersonAsync($"Person {step}"));
                    break;
                case 4 when roles.Count > 0 && people.Count > 0:
                    {
                        var (id, _) = roles[random.Next(roles.Count)];
                        var person = people[random.Next(people.Count)];
                        var response = await org.Client.PostAsync($"{org.Base}/roles/{id}/assignments",
                            JsonContent(new { personId = person, focus = $"focus {step}" }));
                        if (response.StatusCode == HttpStatusCode.Conflict && random.Next(2) == 0)
                        {
                            (await org.Client.PatchAsync($"{org.Base}/roles/{id}/assignments/{person}", JsonContent(new { focus = $"refocused {step}" })))
                                .EnsureSuccessStatusCode();
                        }
                        else if (response.StatusCode == HttpStatusCode.Conflict)
                        {
                            (await org.Client.DeleteAsync($"{org.Base}/roles/{id}/assignments/{person}")).EnsureSuccessStatusCode();
                        }
                        else
                        {
                            response.EnsureSuccessStatusCode();
                        }
                        break;
                    }
                case 5 when held.Count > 0:
                    {
                        var (key, holder) = held.ElementAt(random.Next(held.Count));
                        var part = $"{key}/part";
                        var inner = circles.Contains(holder) ? roles.Where(r => r.Circle == holder).Select(r => r.Id).FirstOrDefault() : Guid.Empty;
                        if (inner != Guid.Empty && !held.ContainsKey(part))
                        {
                            await org.AdoptAsync(holder, Change.AddDomain(inner, part));
                            held[part] = inner;
                        }
                        else if (holder != Guid.Empty && roles.Any(r => r.Id == holder && r.Circle == org.AnchorCircleId))
                        {
                            await org.AdoptAsync(org.AnchorCircleId, Change.RemoveDomain(holder, key));
                            held.Remove(key);
                        }
                        break;
                    }
                case 6 when roles.Any(r => r.Circle == org.AnchorCircleId) && held.Count > 0:
                    {
                        var (id, _) = roles.Where(r => r.Circle == org.AnchorCircleId).ElementAt(0);
                        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy($"Policy {step}", held.Keys.First(), Change.Grant(id, 100 * step, "EUR"))));
                        break;
                    }
                case 8 when people.Count > 0:
                    {
                        var person = people[random.Next(people.Count)];
                        (await org.Client.PatchAsync($"{org.Base}/people/{person}", JsonContent(new { name = $"Renamed {step}", email = $"person-{step}@example.org" })))
                            .EnsureSuccessStatusCode();
                        break;
                    }
                case 9 when people.Count > 1:
                    {
                        var person = people[random.Next(people.Count)];
                        (await org.Client.DeleteAsync($"{org.Base}/people/{person}")).EnsureSuccessStatusCode();
                        people.Remove(person);
                        break;
                    }
                case 7 when roles.Count > 1:
                    {
                        var (id, circle) = roles[random.Next(roles.Count)];
                        if (held.ContainsValue(id) || circle != org.AnchorCircleId) break;
                        await org.AdoptAsync(circle, Change.RemoveRole(id));
                        roles.RemoveAll(r => r.Id == id);
                        break;
                    }
            }
        }
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body, Json), System.Text.Encoding.UTF8, "application/json");
}
