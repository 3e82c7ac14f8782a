using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ProposalTests(GovernanceApp app)
{
    [Fact]
    public async Task An_objection_blocks_adoption_until_integrated_and_the_amended_changes_are_applied()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"));
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Refunder", domains: ["refunds"]));

        var objection = await org.ProposalStepAsync(proposal, "objections", new { objectorId = ben, reason = "The name hides what it does" });
        objection.StatusCode.Should().Be(HttpStatusCode.Created);
        var objectionId = (await objection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await org.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "Holacracy 5.0 §5.3.4");

        var integrated = await org.ProposalStepAsync(proposal, $"objections/{objectionId}/integrate",
            new { changes = new[] { Change.CreateRole("Refunds Agent", domains: ["refunds"]) } });
        integrated.StatusCode.Should().Be(HttpStatusCode.OK);
        var adopted = await org.ProposalStepAsync(proposal, "adopt");

        adopted.StatusCode.Should().Be(HttpStatusCode.OK, await adopted.Content.ReadAsStringAsync());
        var body = await adopted.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("Adopted");
        var version = body.GetProperty("version").GetInt64();
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(version);
        (await org.WhoDecidesAsync("refunds")).GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
        var read = await org.GetAsync($"proposals/{proposal}");
        read.GetProperty("status").GetString().Should().Be("Adopted");
        read.GetProperty("changes")[0].GetProperty("name").GetString().Should().Be("Refunds Agent");
        read.GetProperty("changes")[0].GetProperty("op").GetString().Should().Be("createRole");
        read.GetProperty("objections").EnumerateArray().Should().ContainSingle().Which.GetProperty("status").GetString().Should().Be("Integrated");
        await (await org.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_circle_members_propose_and_object()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var member = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var outsider = await org.PersonAsync("Olga");

        await (await org.ProposeAsync(org.AnchorCircleId, outsider, Change.CreateRole("X")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, member, Change.CreateRole("X"));
        await (await org.ProposalStepAsync(proposal, "objections", new { objectorId = outsider, reason = "No" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1");
    }

    [Fact]
    public async Task The_circle_lead_of_a_circle_is_one_of_its_members()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);

        (await org.ProposeAsync(cs, lena, Change.CreateRole("Agent"))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_proposal_is_checked_when_made_and_nothing_is_recorded_when_it_is_unlawful()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);

        await (await org.ProposeAsync(cs, lena, Change.CreateRole("Marketer", domains: ["marketing"])))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");
        await (await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/proposals", new { proposerId = lena, tension = " ", changes = new[] { Change.CreateRole("X") } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_proposal_that_the_circle_has_since_made_unlawful_is_not_adopted()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Late Claimer", domains: ["finance"]));
        await org.RoleAsync(org.AnchorCircleId, "Early Claimer", "finance");

        await (await org.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "Holacracy 5.0 §1.1(b)");
        (await org.GetAsync($"proposals/{proposal}")).GetProperty("status").GetString().Should().Be("Open");
    }

    [Fact]
    public async Task A_withdrawn_proposal_takes_no_more_steps()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("X"));

        var withdrawn = await org.As(app.ClientOf("Ana")).ProposalStepAsync(proposal, "withdraw");
        withdrawn.StatusCode.Should().Be(HttpStatusCode.OK);
        (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("Withdrawn");

        await (await org.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await org.ProposalStepAsync(proposal, "withdraw")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await org.ProposalStepAsync(proposal, "objections", new { objectorId = ana, reason = "Late" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_proposer_may_amend_an_open_proposal()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Draft"));

        (await org.As(app.ClientOf("Ana")).ProposalStepAsync(proposal, "amend", new { changes = new[] { Change.CreateRole("Final") } })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.ProposalStepAsync(proposal, "adopt")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await org.GetAsync("roles?q=Final")).GetProperty("items").GetArrayLength().Should().Be(1);
        (await org.GetAsync("roles?q=Draft")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Proposals_as_of_an_instant_are_those_submitted_by_then_as_they_stood_then()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var beforeAll = DateTimeOffset.UtcNow;
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Draft"));
        (await org.As(app.ClientOf("Ana")).ProposalStepAsync(proposal, "amend", new { changes = new[] { Change.CreateRole("Final") } })).StatusCode.Should().Be(HttpStatusCode.OK);
        var whileOpen = DateTimeOffset.UtcNow;
        (await org.ProposalStepAsync(proposal, "adopt")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await org.GetAsync($"proposals?asOf={Uri.EscapeDataString(beforeAll.ToString("O"))}")).GetProperty("items").GetArrayLength().Should().Be(0);
        var then = (await org.GetAsync($"proposals?asOf={Uri.EscapeDataString(whileOpen.ToString("O"))}")).GetProperty("items").EnumerateArray().Single();
        then.GetProperty("status").GetString().Should().Be("Open");
        then.GetProperty("changes")[0].GetProperty("name").GetString().Should().Be("Final", "the amendment came before that instant");
        (await org.GetAsync($"proposals?status=Open&asOf={Uri.EscapeDataString(whileOpen.ToString("O"))}")).GetProperty("items").GetArrayLength().Should().Be(1);
        (await org.GetAsync("proposals?status=Open")).GetProperty("items").GetArrayLength().Should().Be(0, "it is adopted now");
        (await org.GetAsync("proposals")).GetProperty("items").EnumerateArray().Single().GetProperty("status").GetString().Should().Be("Adopted");

        await (await app.Client.GetAsync($"{org.Base}/proposals?asOf=soon")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.GetAsync($"{org.Base}/proposals?awaiting={ana}&asOf={Uri.EscapeDataString(whileOpen.ToString("O"))}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Twenty_racing_adoptions_of_conflicting_proposals_adopt_exactly_one()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var proposals = new List<Guid>();
        for (var i = 0; i < 20; i++) proposals.Add(await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole($"Claimer {i}", domains: ["contested"])));
        var before = (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64();

        var responses = await Task.WhenAll(proposals.Select(p => org.ProposalStepAsync(p, "adopt")));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Conflict);
        var statuses = new List<string>();
        foreach (var p in proposals) statuses.Add((await org.GetAsync($"proposals/{p}")).GetProperty("status").GetString()!);
        statuses.Count(s => s == "Adopted").Should().Be(1);
        statuses.Count(s => s == "Open").Should().Be(19);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(before + 1);
        (await org.GetAsync("roles?q=Claimer")).GetProperty("items").GetArrayLength().Should().Be(1);
        (await org.WhoDecidesAsync("contested")).GetProperty("role").GetProperty("name").GetString().Should().StartWith("Claimer");
    }

    [Fact]
    public async Task Unknown_proposals_and_objections_are_404s_in_every_organisation_but_their_own()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var other = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("X"));

        await (await app.Client.GetAsync($"{other.Base}/proposals/{proposal}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/proposals/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.ProposalStepAsync(proposal, $"objections/{Guid.NewGuid()}/integrate", new { changes = new[] { Change.CreateRole("Y") } }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_objection_that_fails_the_objection_tests_is_not_valid()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"));
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("X"));

        await (await org.ProposalStepAsync(proposal, "objections", new { objectorId = ben, reason = "I just dislike it", tests = new { reducesCapacity = false, createdByProposal = true } }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.3.2");
        var valid = await org.ProposalStepAsync(proposal, "objections",
            new { objectorId = ben, reason = "It removes the refund path", tests = new { reducesCapacity = true, createdByProposal = true, knownOrUrgent = true, limitsObjectorsRole = true } });
        valid.StatusCode.Should().Be(HttpStatusCode.Created);

        var objection = (await org.GetAsync($"proposals/{proposal}")).GetProperty("objections").EnumerateArray().Should().ContainSingle().Subject;
        objection.GetProperty("tests").GetProperty("limitsObjectorsRole").GetBoolean().Should().BeTrue();
    }
}
