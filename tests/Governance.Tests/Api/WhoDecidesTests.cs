using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Registry;
using Governance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class WhoDecidesTests(GovernanceApp app)
{
    /// <summary>Acme: the Anchor Circle grants Customer Service "customer-service"; inside it the Refunds Agent holds "customer-service/refunds".</summary>
    private async Task<(Scenario Org, Guid Cs, Guid Refunds)> AcmeAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var refunds = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        return (org, cs, refunds);
    }

    [Fact]
    public async Task The_fillers_of_the_role_holding_the_exact_key_decide()
    {
        var (org, _, refunds) = await AcmeAsync();
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(refunds, ana, "EU");

        var answer = await org.WhoDecidesAsync("customer-service/refunds");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("domain").GetProperty("key").GetString().Should().Be("customer-service/refunds");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        var maker = answer.GetProperty("decisionMakers").EnumerateArray().Should().ContainSingle().Subject;
        maker.GetProperty("personId").GetGuid().Should().Be(ana);
        maker.GetProperty("name").GetString().Should().Be("Ana");
        maker.GetProperty("roleName").GetString().Should().Be("Refunds Agent");
        maker.GetProperty("focus").GetString().Should().Be("EU");
        maker.GetProperty("via").GetString().Should().Be("RoleFiller");
        var rules = answer.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("rule").GetString()).ToList();
        rules.Should().Equal("DomainMatched", "DomainHeld", "RoleFiller");
        answer.GetProperty("chain").EnumerateArray().Should().OnlyContain(c => c.GetProperty("citation").GetString()!.StartsWith("Holacracy 5.0 §"));
        answer.GetProperty("sequence").GetInt64().Should().BePositive();
        answer.GetProperty("candidates").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_deeper_key_falls_back_to_the_most_specific_enclosing_domain()
    {
        var (org, _, refunds) = await AcmeAsync();
        await org.AssignAsync(refunds, await org.PersonAsync("Ana"));

        var answer = await org.WhoDecidesAsync("customer-service/refunds/eu/over-500");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("domain").GetProperty("key").GetString().Should().Be("customer-service/refunds");
        answer.GetProperty("chain")[0].GetProperty("rule").GetString().Should().Be("EnclosingDomainMatched");
    }

    [Fact]
    public async Task An_unfilled_role_is_covered_by_the_circle_lead_of_its_circle()
    {
        var (org, cs, refunds) = await AcmeAsync();
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);

        var answer = await org.WhoDecidesAsync("customer-service/refunds");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        var maker = answer.GetProperty("decisionMakers").EnumerateArray().Should().ContainSingle().Subject;
        maker.GetProperty("personId").GetGuid().Should().Be(lena);
        maker.GetProperty("via").GetString().Should().Be("CircleLead");
        maker.GetProperty("roleId").GetGuid().Should().Be(cs);
        answer.GetProperty("chain").EnumerateArray().Should().Contain(c =>
            c.GetProperty("rule").GetString() == "RoleUnfilled" && c.GetProperty("citation").GetString() == "Holacracy 5.0 §1.4.2");
    }

    [Fact]
    public async Task With_nobody_filling_anything_up_to_the_anchor_circle_the_answer_is_unfilled()
    {
        var (org, _, refunds) = await AcmeAsync();

        var answer = await org.WhoDecidesAsync("customer-service/refunds");

        answer.GetProperty("status").GetString().Should().Be("Unfilled");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        answer.GetProperty("decisionMakers").GetArrayLength().Should().Be(0);
        answer.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("rule").GetString())
            .Should().Equal(
                "DomainMatched", "DomainHeld", "RoleUnfilled", "CircleUnfilled", "NoCircleLead");
    }

    [Fact]
    public async Task A_circle_that_has_not_delegated_its_domain_decides_through_its_circle_lead()
    {
        var (org, cs, _) = await AcmeAsync();
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);

        var answer = await org.WhoDecidesAsync("customer-service/complaints");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(cs);
        answer.GetProperty("decisionMakers")[0].GetProperty("via").GetString().Should().Be("CircleLead");
        answer.GetProperty("chain").EnumerateArray().Should().Contain(c => c.GetProperty("rule").GetString() == "CircleHoldsDomain");
    }

    [Fact]
    public async Task A_domain_delegated_whole_is_decided_by_the_deepest_holder()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var head = await org.RoleAsync(cs, "Service Owner", "customer-service");
        var (lena, omar) = (await org.PersonAsync("Lena"), await org.PersonAsync("Omar"));
        await org.AssignAsync(cs, lena);
        await org.AssignAsync(head, omar);

        var answer = await org.WhoDecidesAsync("customer-service/anything");

        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(head);
        answer.GetProperty("decisionMakers").EnumerateArray().Select(m => m.GetProperty("personId").GetGuid()).Should().Equal(omar);
        answer.GetProperty("chain").EnumerateArray().Should().Contain(c => c.GetProperty("rule").GetString() == "DomainDelegated");
    }

    [Fact]
    public async Task No_domain_is_an_answer_with_section_4_1_2_guidance_never_a_permission()
    {
        var (org, _, _) = await AcmeAsync();

        var answer = await org.WhoDecidesAsync("marketing/brand");

        answer.GetProperty("status").GetString().Should().Be("NoDomain");
        answer.GetProperty("domain").ValueKind.Should().Be(JsonValueKind.Null);
        answer.GetProperty("decisionMakers").GetArrayLength().Should().Be(0);
        var first = answer.GetProperty("chain")[0];
        first.GetProperty("citation").GetString().Should().Be("Holacracy 5.0 §4.1.2");
        first.GetProperty("detail").GetString().Should().Contain("Anchor Circle").And.Contain("objections");
    }

    [Fact]
    public async Task A_change_is_seen_by_the_very_next_question()
    {
        var (org, _, refunds) = await AcmeAsync();
        var before = await org.WhoDecidesAsync("customer-service/refunds");
        var ana = await org.PersonAsync("Ana");

        await org.AssignAsync(refunds, ana);
        var after = await org.WhoDecidesAsync("customer-service/refunds");

        before.GetProperty("status").GetString().Should().Be("Unfilled");
        after.GetProperty("status").GetString().Should().Be("Resolved");
        after.GetProperty("sequence").GetInt64().Should().BeGreaterThan(before.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task A_change_written_by_another_instance_is_seen_once_the_registry_has_polled()
    {
        var (org, _, refunds) = await AcmeAsync();
        var before = await org.WhoDecidesAsync("customer-service/refunds");

        // Another instance of the service commits a rename: this process's sessions never see it.
        var database = app.Services.GetRequiredService<NpgsqlDataSource>();
        (await RawEvents.AppendAsync(database, refunds, "role_renamed", "Governance.Roles.RoleRenamed, Governance.Api",
            $$"""{"roleId": "{{refunds}}", "name": "Refunds Lead"}""")).Should().Be(1);

        // The live registry polls for such commits (LiveRegistry.PollInterval); allow it many rounds.
        var roleName = "";
        for (var attempt = 0; attempt < 100 && roleName != "Refunds Lead"; attempt++)
        {
            await Task.Delay(LiveRegistry.PollInterval / 4);
            roleName = (await org.WhoDecidesAsync("customer-service/refunds")).GetProperty("role").GetProperty("name").GetString()!;
        }
        roleName.Should().Be("Refunds Lead");
        before.GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
    }

    [Fact]
    public async Task A_spending_question_without_an_authorising_policy_says_so()
    {
        var (org, _, refunds) = await AcmeAsync();
        await org.AssignAsync(refunds, await org.PersonAsync("Ana"));

        var answer = await org.WhoDecidesAsync("customer-service/refunds", "&amount=750&currency=eur");

        answer.GetProperty("chain").EnumerateArray().Should().Contain(c =>
            c.GetProperty("citation").GetString() == "Holacracy 5.0 §4.1.3" && c.GetProperty("detail").GetString()!.Contains("750 EUR"));
    }

    [Theory]
    [InlineData("decision-makers")]
    [InlineData("decision-makers?domain=Not%20A%20Key")]
    [InlineData("decision-makers?domain=a/")]
    [InlineData("decision-makers?domain=refunds&amount=lots")]
    [InlineData("decision-makers?domain=refunds&asOf=yesterday")]
    public async Task Ill_formed_questions_are_400_problems(string path)
    {
        var org = await Scenario.FoundAsync(app.Client);

        var response = await app.Client.GetAsync($"{org.Base}/{path}");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Asking_an_unknown_organisation_is_a_404_problem()
    {
        var response = await app.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}/decision-makers?domain=x");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
