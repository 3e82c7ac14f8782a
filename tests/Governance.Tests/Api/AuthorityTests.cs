using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>Authority follows the constitution: who may assign, record governance, hold elections, propose and conclude.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorityTests(GovernanceApp app)
{
    private static Task<HttpResponseMessage> ElectAsync(HttpClient client, Scenario org, Guid circle, string role, Guid person) =>
        client.PostAsJsonAsync($"{org.Base}/circles/{circle}/elections", new { role, personId = person, termEnds = DateTimeOffset.UtcNow.AddDays(90) });

    [Fact]
    public async Task Only_the_circles_circle_lead_assigns_its_roles()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var sales = await org.CircleAsync(org.AnchorCircleId, "Sales", "sales");
        var rep = await org.RoleAsync(sales, "Account Rep", "sales/accounts");
        var (lead, ana) = (await org.PersonAsync("Lena"), await org.PersonAsync("Ana"));
        await org.AssignAsync(sales, lead);

        await (await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/roles/{rep}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.4.1");
        (await app.ClientOf("Lena").PostAsJsonAsync($"{org.Base}/roles/{rep}/assignments", new { personId = ana })).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await app.ClientOf("Ana").DeleteAsync($"{org.Base}/roles/{rep}/assignments/{ana}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.4.1");
        // The Anchor Circle has no Circle Lead: its roles are assigned by an admin; Lena leads Sales, not the anchor.
        await (await app.ClientOf("Lena").PostAsJsonAsync($"{org.Base}/roles/{sales}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.4.1");
        (await app.ClientOf("Lena").DeleteAsync($"{org.Base}/roles/{rep}/assignments/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Governance_is_recorded_by_the_circles_secretary_and_elections_by_its_facilitator_or_secretary()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"));
        var asAna = org.As(app.ClientOf("Ana"));

        await (await asAna.GovernAsync(org.AnchorCircleId, Change.CreateRole("Ana's Idea"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.3.5");
        await (await ElectAsync(asAna.Client, org, org.AnchorCircleId, "Secretary", ana)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.5");

        (await ElectAsync(app.Client, org, org.AnchorCircleId, "Secretary", ana)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await asAna.GovernAsync(org.AnchorCircleId, Change.CreateRole("Recorded by the Secretary"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ElectAsync(asAna.Client, org, org.AnchorCircleId, "Facilitator", ben)).StatusCode.Should().Be(HttpStatusCode.Created);
        var asBen = org.As(app.ClientOf("Ben"));
        await (await asBen.GovernAsync(org.AnchorCircleId, Change.CreateRole("Not the Facilitator's to record"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await ElectAsync(asBen.Client, org, org.AnchorCircleId, "Secretary", ben)).StatusCode.Should().Be(HttpStatusCode.Created);

        var history = await org.GetAsync($"roles/{org.AnchorCircleId}/history");
        history.GetRawText().Should().NotContain("Recorded by the Secretary", "the record names the role's own events only");
        var recorded = (await org.GetAsync("roles?q=Recorded")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var created = (await org.GetAsync($"roles/{recorded}/history"))[0].GetProperty("actor");
        created.GetProperty("personId").GetGuid().Should().Be(ana);
        created.GetProperty("name").GetString().Should().Be("Ana");
    }

    [Fact]
    public async Task While_the_secretary_is_unfilled_a_surrogate_records_governance_and_no_longer_once_one_is_elected()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var sales = await org.CircleAsync(org.AnchorCircleId, "Sales", "sales");
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(sales, lena);
        var (ana, ben) = (await org.MemberAsync(sales, "Ana"), await org.MemberAsync(sales, "Ben"));
        var (asLena, asAna, asBen) = (org.As(app.ClientOf("Lena")), org.As(app.ClientOf("Ana")), org.As(app.ClientOf("Ben")));

        // No Facilitator, no Secretary: the Circle Lead acts as both (§5.3.6(c)).
        (await asLena.GovernAsync(sales, Change.CreateRole("Recorded by the Circle Lead"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var notAna = await (await asAna.GovernAsync(sales, Change.CreateRole("Ana's"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.6");
        notAna.GetProperty("detail").GetString().Should().Contain("Circle Lead acts as Secretary");
        (await ElectAsync(asLena.Client, org, sales, "Facilitator", ben)).StatusCode.Should().Be(HttpStatusCode.Created);

        // A Facilitator, no Secretary: the Facilitator acts as Secretary (§5.3.6(b)), the Circle Lead no longer.
        (await asBen.GovernAsync(sales, Change.CreateRole("Recorded by the Facilitator"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var notLena = await (await asLena.GovernAsync(sales, Change.CreateRole("Lena's"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.6");
        notLena.GetProperty("detail").GetString().Should().Contain("Facilitator acts as Secretary");
        (await ElectAsync(asBen.Client, org, sales, "Secretary", ana)).StatusCode.Should().Be(HttpStatusCode.Created);

        // Both elected: only the Secretary records; the surrogates no longer may.
        await (await asBen.GovernAsync(sales, Change.CreateRole("Ben's"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.3.5");
        await (await asLena.GovernAsync(sales, Change.CreateRole("Lena's"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.3.5");
        (await asAna.GovernAsync(sales, Change.CreateRole("Recorded by the Secretary"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.GetAsync($"circles/{sales}")).GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString())
            .Should().Contain(["Recorded by the Circle Lead", "Recorded by the Facilitator", "Recorded by the Secretary"]).And.NotContain(["Ana's", "Ben's", "Lena's"]);
    }

    [Fact]
    public async Task Members_propose_and_object_as_themselves_and_the_proposer_amends_and_withdraws()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"));
        var (asAna, asBen) = (org.As(app.ClientOf("Ana")), org.As(app.ClientOf("Ben")));

        // Ana proposes as herself (no proposerId needed); not as Ben.
        var submitted = await asAna.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/proposals",
            new { tension = "No one owns refunds", changes = new[] { Change.CreateRole("Refunds", domains: ["refunds"]) } });
        submitted.StatusCode.Should().Be(HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var proposal = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await asAna.ProposeAsync(org.AnchorCircleId, ben, Change.CreateRole("Ben's?"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.1");

        await (await asBen.ProposalStepAsync(proposal, "objections", new { objectorId = ana, reason = "Not mine to raise" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.1");
        (await asBen.ProposalStepAsync(proposal, "objections", new { reason = "Refunds need a limit" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await asBen.ProposalStepAsync(proposal, "amend", new { changes = new[] { Change.CreateRole("Ben's version") } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.1");
        await (await asBen.ProposalStepAsync(proposal, "withdraw")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.1");
        // Not even an admin amends another's proposal.
        await (await org.ProposalStepAsync(proposal, "amend", new { changes = new[] { Change.CreateRole("The admin's version") } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.1");
        await (await asBen.ProposalStepAsync(proposal, "adopt")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3");
        (await asAna.ProposalStepAsync(proposal, "amend", new { changes = new[] { Change.CreateRole("Refunds Agent", domains: ["refunds"]) } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var record = (await org.GetAsync($"proposals/{proposal}")).GetProperty("record").EnumerateArray().ToList();
        record.Select(s => s.GetProperty("type").GetString()).Should().Equal("proposal_submitted", "objection_raised", "proposal_amended");
        record.Select(s => s.GetProperty("actor").GetProperty("personId").GetGuid()).Should().Equal(ana, ben, ana);
    }

    [Fact]
    public async Task The_secretary_may_record_a_proposal_for_a_member_and_the_facilitator_adopts()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben, cy) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"), await org.MemberAsync(org.AnchorCircleId, "Cy"));
        (await ElectAsync(app.Client, org, org.AnchorCircleId, "Secretary", ana)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ElectAsync(app.Client, org, org.AnchorCircleId, "Facilitator", cy)).StatusCode.Should().Be(HttpStatusCode.Created);

        var proposal = await org.As(app.ClientOf("Ana")).ProposalAsync(org.AnchorCircleId, ben, Change.CreateRole("Recorded for Ben"));
        (await org.GetAsync($"proposals/{proposal}")).GetProperty("proposerId").GetGuid().Should().Be(ben);
        var adopted = await org.As(app.ClientOf("Cy")).ProposalStepAsync(proposal, "adopt");

        adopted.StatusCode.Should().Be(HttpStatusCode.OK, await adopted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_api_key_takes_no_part_in_governance()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.MemberAsync(org.AnchorCircleId, "Ana");
        var key = (await (await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Reader", scopes = new[] { "registry:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var tool = app.ClientWith(new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key));

        await (await tool.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/proposals", new { tension = "t", changes = new[] { Change.CreateRole("R") } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
