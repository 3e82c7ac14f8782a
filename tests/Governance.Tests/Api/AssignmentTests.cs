using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AssignmentTests(GovernanceApp app)
{
    [Fact]
    public async Task Several_people_fill_one_role_each_with_a_focus()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var (ana, ben) = (await org.PersonAsync("Ana"), await org.PersonAsync("Ben"));

        await org.AssignAsync(agent, ana, "EU");
        await org.AssignAsync(agent, ben);

        var fillers = (await org.GetAsync($"roles/{agent}")).GetProperty("fillers").EnumerateArray().ToList();
        fillers.Select(f => f.GetProperty("name").GetString()).Should().Equal("Ana", "Ben");
        fillers[0].GetProperty("focus").GetString().Should().Be("EU");
        fillers[1].GetProperty("focus").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Unassigning_removes_the_filler_once()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana);

        (await app.Client.DeleteAsync($"{org.Base}/roles/{agent}/assignments/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await org.GetAsync($"roles/{agent}")).GetProperty("fillers").GetArrayLength().Should().Be(0);
        await (await app.Client.DeleteAsync($"{org.Base}/roles/{agent}/assignments/{ana}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var history = await org.GetAsync($"roles/{agent}/history");
        history.EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().EndWith(["person_assigned_to_role", "person_unassigned_from_role"]);
    }

    [Fact]
    public async Task Filling_a_circle_makes_the_person_its_circle_lead()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var lena = await org.PersonAsync("Lena");

        await org.AssignAsync(cs, lena);

        var leadRole = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray()
            .Single(r => r.GetProperty("isCircleLead").GetBoolean()).GetProperty("id").GetGuid();
        (await org.GetAsync($"roles/{leadRole}")).GetProperty("fillers").EnumerateArray()
            .Select(f => f.GetProperty("personId").GetGuid()).Should().Equal(lena);
    }

    [Fact]
    public async Task The_circle_lead_role_and_the_anchor_circle_are_not_assigned_directly()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var lead = (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("roles")[0].GetProperty("id").GetGuid();
        var ana = await org.PersonAsync("Ana");

        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{lead}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.4");
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{org.AnchorCircleId}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.4");
    }

    [Fact]
    public async Task Assignment_errors_are_problems()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana);

        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = Guid.NewGuid() }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{Guid.NewGuid()}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = ana, focus = new string('f', 500) }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { focus = "no person" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Simultaneous_assignments_to_one_role_all_land()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var people = new List<Guid>();
        for (var i = 0; i < 12; i++) people.Add(await org.PersonAsync($"Person {i}"));

        var responses = await Task.WhenAll(people.Select(p =>
            app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = p })));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Created);
        (await org.GetAsync($"roles/{agent}")).GetProperty("fillers").EnumerateArray()
            .Select(f => f.GetProperty("personId").GetGuid()).Should().BeEquivalentTo(people);
    }

    [Fact]
    public async Task Racing_to_assign_the_same_person_twice_assigns_once()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var ana = await org.PersonAsync("Ana");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = ana })));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(7);
        (await org.GetAsync($"roles/{agent}")).GetProperty("fillers").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_governance_change_racing_assignments_loses_neither()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var people = new List<Guid>();
        for (var i = 0; i < 6; i++) people.Add(await org.PersonAsync($"Person {i}"));

        var responses = await Task.WhenAll(people.Select(p =>
            app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = p })).Append(
            org.GovernAsync(org.AnchorCircleId, Change.AddAccountability(agent, "Answering tickets"))));

        responses[..^1].Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created);
        responses[^1].StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Conflict);
        var role = await org.GetAsync($"roles/{agent}");
        role.GetProperty("fillers").GetArrayLength().Should().Be(people.Count);
        role.GetProperty("accountabilities").GetArrayLength().Should().Be(responses[^1].StatusCode == HttpStatusCode.OK ? 1 : 0);
        var types = (await org.GetAsync($"roles/{agent}/history")).EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        types.Count(t => t == "person_assigned_to_role").Should().Be(people.Count);
    }
}
