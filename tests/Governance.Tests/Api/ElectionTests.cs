using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ElectionTests(GovernanceApp app)
{
    private static readonly DateTimeOffset NextYear = DateTimeOffset.UtcNow.AddYears(1);

    private Task<HttpResponseMessage> ElectAsync(Scenario org, Guid circleId, string role, Guid personId, DateTimeOffset? termEnds = null) =>
        app.Client.PostAsJsonAsync($"{org.Base}/circles/{circleId}/elections", new { role, personId, termEnds = termEnds ?? NextYear });

    private async Task<(Scenario Org, Guid Cs, Guid Lead, Guid Member)> CircleWithPeopleAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var lead = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lead);
        return (org, cs, lead, await org.MemberAsync(cs, "Ana"));
    }

    [Fact]
    public async Task A_circle_member_is_elected_facilitator_for_a_term()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();

        var response = await ElectAsync(org, cs, "Facilitator", ana);

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var roleId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        var role = await org.GetAsync($"roles/{roleId}");
        role.GetProperty("name").GetString().Should().Be("Facilitator");
        role.GetProperty("electedRole").GetString().Should().Be("Facilitator");
        role.GetProperty("circleId").GetGuid().Should().Be(cs);
        var filler = role.GetProperty("fillers").EnumerateArray().Should().ContainSingle().Subject;
        filler.GetProperty("personId").GetGuid().Should().Be(ana);
        filler.GetProperty("termEnds").GetDateTimeOffset().Should().BeCloseTo(NextYear, TimeSpan.FromSeconds(1));
        filler.GetProperty("termExpired").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task An_election_replaces_the_holder_at_once()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        var ben = await org.MemberAsync(cs, "Ben");
        await ElectAsync(org, cs, "Secretary", ana);

        var second = await ElectAsync(org, cs, "Secretary", ben);

        var roleId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        (await org.GetAsync($"roles/{roleId}")).GetProperty("fillers").EnumerateArray()
            .Select(f => f.GetProperty("personId").GetGuid()).Should().Equal(ben);
        (await org.GetAsync($"people/{ana}")).GetProperty("roles").EnumerateArray()
            .Should().NotContain(r => r.GetProperty("roleId").GetGuid() == roleId);
    }

    [Fact]
    public async Task Only_circle_members_stand_for_election()
    {
        var (org, cs, _, _) = await CircleWithPeopleAsync();
        var outsider = await org.PersonAsync("Olga");

        await (await ElectAsync(org, cs, "Facilitator", outsider)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1");
    }

    [Fact]
    public async Task The_circle_lead_cannot_be_circle_rep_and_the_anchor_circle_has_none()
    {
        var (org, cs, lead, ana) = await CircleWithPeopleAsync();
        var anchorMember = await org.MemberAsync(org.AnchorCircleId, "Anka");

        await (await ElectAsync(org, cs, "CircleRep", lead)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1.1");
        await (await ElectAsync(org, org.AnchorCircleId, "CircleRep", anchorMember)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1.1");
        (await ElectAsync(org, cs, "CircleRep", ana)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_circle_rep_is_a_member_of_the_super_circle()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        await (await org.ProposeAsync(org.AnchorCircleId, ana, Change.CreateRole("X"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

        await ElectAsync(org, cs, "CircleRep", ana);

        (await org.ProposeAsync(org.AnchorCircleId, ana, Change.CreateRole("X"))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Elected_roles_are_neither_assigned_nor_removed_nor_repurposed_by_governance()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        var roleId = (await (await ElectAsync(org, cs, "Facilitator", ana)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();

        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{roleId}/assignments", new { personId = ana }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.3.5");
        await (await org.GovernAsync(cs, Change.RemoveRole(roleId))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.5");
        await (await org.GovernAsync(cs, Change.UpdateRole(roleId, purpose: "Anything"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.5");
        await (await org.GovernAsync(cs, Change.ConvertToCircle(roleId))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.1");
        await org.AdoptAsync(cs, Change.AddAccountability(roleId, "Scheduling meetings"));

        // The Circle Rep's role is defined, and protected, by §5.1.1.
        var rep = (await (await ElectAsync(org, cs, "CircleRep", ana)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        await (await org.GovernAsync(cs, Change.RemoveRole(rep))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1.1");
        await (await org.GovernAsync(cs, Change.UpdateRole(rep, purpose: "Anything"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1.1");
        await (await org.GovernAsync(cs, Change.MoveRole(rep, org.AnchorCircleId))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1.1");
    }

    [Fact]
    public async Task The_elected_roles_carry_the_purposes_and_accountabilities_of_constitution_5_0()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        foreach (var role in new[] { "Facilitator", "Secretary", "CircleRep" }) (await ElectAsync(org, cs, role, ana)).StatusCode.Should().Be(HttpStatusCode.Created);

        var roles = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        roles["Secretary"].GetProperty("purpose").GetString().Should().Be("Stabilize the Circle\u2019s constitutionally-required records and meetings");
        roles["Facilitator"].GetProperty("purpose").GetString().Should().Be("Circle governance and operational practices aligned with the Constitution");
        roles["Circle Rep"].GetProperty("purpose").GetString().Should().Be("Tensions relevant to process in a broader Circle channeled out and resolved");

        async Task<IEnumerable<string?>> AccountabilitiesOf(string name) =>
            (await org.GetAsync($"roles/{roles[name].GetProperty("id").GetGuid()}")).GetProperty("accountabilities").EnumerateArray().Select(a => a.GetString());
        (await AccountabilitiesOf("Secretary")).Should().Equal(
            "Capturing and publishing the outputs of the Circle's Governance Process",
            "Scheduling the Circle's Governance Meetings",
            "Scheduling regular Tactical Meetings for the Circle",
            "Capturing and publishing Tactical Meeting outputs",
            "Interpreting the Constitution and anything under its authority upon request");
        (await AccountabilitiesOf("Facilitator")).Should().Equal(
            "Facilitating the Circle's Governance Process",
            "Facilitating the Circle's regular Tactical Meetings",
            "Triggering new elections for the Circle's elected Roles after each election term expires",
            "Auditing a Sub-Circle's meetings and records on request and declaring a Process Breakdown if one is discovered");
        (await AccountabilitiesOf("Circle Rep")).Should().Equal(
            "Seeking to understand Tensions conveyed by Role Leads within the Circle",
            "Discerning Tensions appropriate to process within a broader Circle that holds the Circle",
            "Processing Tensions within a broader Circle to remove constraints on the Circle");

        var secretary = roles["Secretary"].GetProperty("id").GetGuid();
        await (await org.GovernAsync(cs, Change.RemoveAccountability(secretary, "Scheduling the Circle's Governance Meetings")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.5");
        await org.AdoptAsync(cs, Change.AddAccountability(secretary, "Keeping the minutes in the wiki"));
        await org.AdoptAsync(cs, Change.RemoveAccountability(secretary, "Keeping the minutes in the wiki"));
    }

    [Fact]
    public async Task When_the_secretary_leaves_the_organisation_the_facilitator_decides_for_its_domain_at_once()
    {
        var (org, cs, lead, ana) = await CircleWithPeopleAsync();
        var ben = await org.MemberAsync(cs, "Ben");
        (await ElectAsync(org, cs, "Secretary", ana)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ElectAsync(org, cs, "Facilitator", ben)).StatusCode.Should().Be(HttpStatusCode.Created);
        var secretary = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Secretary").GetProperty("id").GetGuid();
        var key = (await org.GetAsync($"roles/{cs}")).GetProperty("domains")[0].GetProperty("key").GetString() + "/records";
        await org.AdoptAsync(cs, Change.AddDomain(secretary, key));
        (await org.WhoDecidesAsync(key)).GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);

        (await org.Client.DeleteAsync($"{org.Base}/people/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var answer = await org.WhoDecidesAsync(key);
        answer.GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ben);
        answer.GetProperty("decisionMakers")[0].GetProperty("via").GetString().Should().Be("Surrogate");
        answer.GetProperty("chain").EnumerateArray().Should().Contain(step => step.GetProperty("citation").GetString()!.Contains("§5.3.6"));
        lead.Should().NotBe(ben);
    }

    [Fact]
    public async Task A_secretary_role_recorded_with_the_earlier_text_gets_the_constitutions_at_its_next_election_and_keeps_its_history()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        var ben = await org.MemberAsync(cs, "Ben");
        // What an earlier version of the service recorded for a first election: its own purpose, no accountabilities.
        var roleId = Governance.Roles.ElectedRoles.RoleIdOf(cs, "Secretary");
        await using (var session = app.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession())
        {
            session.Events.StartStream<Governance.Roles.Role>(roleId,
                new Governance.Roles.RoleCreated(roleId, org.OrgId, cs, "Secretary", "Steward and stabilise the circle's formal records and record-keeping process.", false, false, null, "Secretary"),
                new Governance.Roles.AccountabilityAdded(roleId, "Keeping the minutes"),
                new Governance.Roles.PersonElectedToRole(roleId, ana, NextYear));
            await session.SaveChangesAsync();
        }
        (await org.GetAsync($"roles/{roleId}")).GetProperty("purpose").GetString().Should().StartWith("Steward", "events are never rewritten");

        (await ElectAsync(org, cs, "Secretary", ben)).StatusCode.Should().Be(HttpStatusCode.Created);

        var role = await org.GetAsync($"roles/{roleId}");
        role.GetProperty("purpose").GetString().Should().Be("Stabilize the Circle\u2019s constitutionally-required records and meetings");
        role.GetProperty("accountabilities").EnumerateArray().Select(a => a.GetString()).Should().HaveCount(6)
            .And.StartWith("Keeping the minutes", "the circle's own addition stays").And.Contain("Scheduling the Circle's Governance Meetings");
        var history = (await org.GetAsync($"roles/{roleId}/history")).EnumerateArray().ToList();
        history[0].GetProperty("data").GetProperty("purpose").GetString().Should().StartWith("Steward", "the record keeps the words it was created with");
        history.Select(h => h.GetProperty("type").GetString()).Should().Contain("role_purpose_changed");

        (await ElectAsync(org, cs, "Secretary", ana)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await org.GetAsync($"roles/{roleId}/history")).GetArrayLength().Should().Be(history.Count + 2, "once up to date, an election only changes the holder");
    }

    [Fact]
    public async Task Elections_are_due_for_unfilled_roles_and_for_terms_that_have_ended()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();
        var termEnds = DateTimeOffset.UtcNow.AddDays(30);
        await ElectAsync(org, cs, "Facilitator", ana, termEnds);

        var now = await org.GetAsync($"circles/{cs}/elections-due");
        now.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("role").GetString(), i.GetProperty("reason").GetString()))
            .Should().BeEquivalentTo([("Secretary", "Unfilled"), ("CircleRep", "Unfilled")]);

        var later = await org.GetAsync($"circles/{cs}/elections-due?at={Uri.EscapeDataString(termEnds.AddDays(1).ToString("O"))}");
        var expired = later.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("role").GetString() == "Facilitator");
        expired.GetProperty("reason").GetString().Should().Be("TermExpired");
        expired.GetProperty("personId").GetGuid().Should().Be(ana);

        (await org.GetAsync($"circles/{org.AnchorCircleId}/elections-due")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("role").GetString()).Should().BeEquivalentTo(["Facilitator", "Secretary"]);
    }

    [Theory]
    [InlineData("Dictator")]
    [InlineData("")]
    public async Task Only_the_elected_roles_are_elected(string role)
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();

        await (await ElectAsync(org, cs, role, ana)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_term_must_end_in_the_future()
    {
        var (org, cs, _, ana) = await CircleWithPeopleAsync();

        await (await ElectAsync(org, cs, "Secretary", ana, DateTimeOffset.UtcNow.AddDays(-1))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
