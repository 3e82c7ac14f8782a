using System.Net;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class TimelineTests(GovernanceApp app)
{
    [Fact]
    public async Task A_domains_timeline_shows_every_change_of_who_controls_and_decides_it_with_the_event_that_caused_it()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(role, ana);
        await org.AdoptAsync(org.AnchorCircleId, Change.AddAccountability(role, "Refunding"));
        await app.Client.DeleteAsync($"{org.Base}/roles/{role}/assignments/{ana}");
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveDomain(role, "refunds"));

        var timeline = await org.GetAsync("domains/refunds%2Feu/history");

        var entries = timeline.GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => (e.GetProperty("status").GetString(), e.GetProperty("type").GetString())).Should().Equal(
            ("NoDomain", "organisation_founded"),
            ("Unfilled", "domain_delegated"),
            ("Resolved", "person_assigned_to_role"),
            ("Unfilled", "person_unassigned_from_role"),
            ("NoDomain", "domain_revoked"));
        entries[2].GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        entries[2].GetProperty("role").GetProperty("id").GetGuid().Should().Be(role);
        entries.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder();
        timeline.GetProperty("key").GetString().Should().Be("refunds/eu");
    }

    [Fact]
    public async Task A_persons_timeline_shows_the_roles_they_filled_over_time()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (a, b) = (await org.RoleAsync(org.AnchorCircleId, "Role A"), await org.RoleAsync(org.AnchorCircleId, "Role B"));
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(a, ana, "EU");
        await org.AssignAsync(b, ana);
        await app.Client.DeleteAsync($"{org.Base}/roles/{a}/assignments/{ana}");

        var timeline = await org.GetAsync($"people/{ana}/history");

        timeline.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("roleName").GetString())).Should().Equal(
            ("person_joined", null), ("person_assigned_to_role", "Role A"), ("person_assigned_to_role", "Role B"), ("person_unassigned_from_role", "Role A"));
        timeline.GetProperty("entries")[1].GetProperty("focus").GetString().Should().Be("EU");
    }

    [Fact]
    public async Task Unknown_people_and_malformed_keys_are_problems()
    {
        var org = await Scenario.FoundAsync(app.Client);

        await (await app.Client.GetAsync($"{org.Base}/people/{Guid.NewGuid()}/history")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/domains/Not%20A%20Key/history")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}/domains/x/history")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
