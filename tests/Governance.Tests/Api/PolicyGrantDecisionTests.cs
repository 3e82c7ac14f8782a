using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PolicyGrantDecisionTests(GovernanceApp app)
{
    /// <summary>
    /// Customer Service holds "customer-service"; its Refunds Lead (Lena) holds the refunds domain; a
    /// circle policy lets any Support Agent (Ana) refund up to 500 EUR.
    /// </summary>
    private async Task<(Scenario Org, Guid Cs, Guid Agent, Guid Lena, Guid Ana, Guid Policy)> RefundsAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var lead = await org.RoleAsync(cs, "Refunds Lead", "customer-service/refunds");
        var agent = await org.RoleAsync(cs, "Support Agent");
        var (lena, ana) = (await org.PersonAsync("Lena"), await org.PersonAsync("Ana"));
        await org.AssignAsync(lead, lena);
        await org.AssignAsync(agent, ana);
        var policy = (await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Agents refund up to 500 EUR", "customer-service/refunds", Change.Grant(agent, 500, "EUR")))))[0];
        return (org, cs, agent, lena, ana, policy);
    }

    private static IEnumerable<(Guid, string)> Makers(JsonElement answer) =>
        answer.GetProperty("decisionMakers").EnumerateArray().Select(m => (m.GetProperty("personId").GetGuid(), m.GetProperty("via").GetString()!));

    private static IEnumerable<string> Rules(JsonElement answer) =>
        answer.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("rule").GetString()!);

    [Fact]
    public async Task A_grant_whose_limit_covers_the_amount_adds_its_fillers_beside_the_controller()
    {
        var (org, _, agent, lena, ana, policy) = await RefundsAsync();

        var answer = await org.WhoDecidesAsync("customer-service/refunds/eu", "&amount=300&currency=eur");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        Makers(answer).Should().Equal((lena, "RoleFiller"), (ana, "PolicyGrant"));
        answer.GetProperty("decisionMakers")[1].GetProperty("roleId").GetGuid().Should().Be(agent);
        answer.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Should().Equal(policy);
        Rules(answer).Should().Contain(["PolicyGrant", "SpendingAuthorised"]);
    }

    [Theory]
    [InlineData("&amount=750&currency=EUR", "above the limit")]
    [InlineData("&amount=300&currency=USD", "USD")]
    [InlineData("&amount=300", "no currency")]
    public async Task A_grant_that_does_not_cover_the_amount_is_skipped_with_its_reason(string spending, string reason)
    {
        var (org, _, _, lena, _, policy) = await RefundsAsync();

        var answer = await org.WhoDecidesAsync("customer-service/refunds", spending);

        Makers(answer).Should().Equal((lena, "RoleFiller"));
        answer.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Should().Equal(policy);
        answer.GetProperty("chain").EnumerateArray().Should().Contain(c =>
            c.GetProperty("rule").GetString() == "PolicyGrantNotApplicable" && c.GetProperty("detail").GetString()!.Contains(reason));
        Rules(answer).Should().Contain("SpendingNotAuthorised");
    }

    [Fact]
    public async Task Without_an_amount_the_grant_applies_and_says_its_limit()
    {
        var (org, _, _, lena, ana, _) = await RefundsAsync();

        var answer = await org.WhoDecidesAsync("customer-service/refunds");

        Makers(answer).Should().Equal((lena, "RoleFiller"), (ana, "PolicyGrant"));
        answer.GetProperty("chain").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "PolicyGrant")
            .GetProperty("detail").GetString().Should().Contain("up to 500 EUR");
    }

    [Fact]
    public async Task A_policy_on_another_domain_does_not_apply()
    {
        var (org, _, _, _, _, _) = await RefundsAsync();

        var answer = await org.WhoDecidesAsync("customer-service/complaints");

        answer.GetProperty("policies").GetArrayLength().Should().Be(0);
        Makers(answer).Should().NotContain(m => m.Item2 == "PolicyGrant");
    }

    [Fact]
    public async Task The_delegating_circles_policy_supersedes_the_inner_circles_for_the_same_role()
    {
        var (org, _, agent, lena, _, _) = await RefundsAsync();
        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Agents refund up to 100 EUR", "customer-service", Change.Grant(agent, 100, "EUR"))));

        var answer = await org.WhoDecidesAsync("customer-service/refunds", "&amount=300&currency=EUR");

        Makers(answer).Should().Equal((lena, "RoleFiller"));
        Rules(answer).Should().Contain(["PolicySuperseded", "PolicyGrantNotApplicable"]);
        answer.GetProperty("policies").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task A_grant_decides_even_where_no_role_holds_the_domain()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var buyer = await org.RoleAsync(org.AnchorCircleId, "Buyer");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(buyer, ana);
        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Small purchases", "purchasing", Change.Grant(buyer, 200, "EUR"))));

        var answer = await org.WhoDecidesAsync("purchasing/office-supplies", "&amount=50&currency=EUR");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("domain").ValueKind.Should().Be(JsonValueKind.Null);
        Makers(answer).Should().Equal((ana, "PolicyGrant"));
        Rules(answer).First().Should().Be("NoDomain");
    }

    [Fact]
    public async Task A_batch_answers_every_question_in_order_at_one_sequence()
    {
        var (org, _, _, lena, ana, _) = await RefundsAsync();

        var response = await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch", new
        {
            questions = new object[]
            {
                new { domain = "customer-service/refunds", amount = 300, currency = "EUR" },
                new { domain = "marketing" },
                new { domain = "customer-service/refunds", amount = 900, currency = "EUR" },
            },
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var answers = body.GetProperty("answers").EnumerateArray().ToList();
        answers.Select(a => a.GetProperty("status").GetString()).Should().Equal("Resolved", "NoDomain", "Resolved");
        Makers(answers[0]).Select(m => m.Item1).Should().Equal(lena, ana);
        Makers(answers[2]).Select(m => m.Item1).Should().Equal(lena);
        answers.Select(a => a.GetProperty("sequence").GetInt64()).Distinct().Should().Equal(body.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task A_batch_with_a_bad_question_or_too_many_is_a_400_problem()
    {
        var org = await Scenario.FoundAsync(app.Client);

        var bad = await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch", new { questions = new object[] { new { domain = "ok" }, new { domain = "Not Ok" } } });
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("questionIndex").GetInt32().Should().Be(1);
        var tooMany = Enumerable.Range(0, 1001).Select(_ => new { domain = "x" }).ToArray();
        await (await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch", new { questions = tooMany })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch", new { questions = Array.Empty<object>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
