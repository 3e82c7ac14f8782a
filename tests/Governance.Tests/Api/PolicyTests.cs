using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PolicyTests(GovernanceApp app)
{
    [Fact]
    public async Task A_circle_adopts_a_policy_with_structured_grants_shown_on_the_circle_and_the_granted_role()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Support Agent");

        var policyId = (await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Refund limit", "customer-service/refunds", Change.Grant(agent, 500, "eur")))))[0];

        var circlePolicy = (await org.GetAsync($"circles/{cs}")).GetProperty("policies").EnumerateArray().Should().ContainSingle().Subject;
        circlePolicy.GetProperty("id").GetGuid().Should().Be(policyId);
        circlePolicy.GetProperty("title").GetString().Should().Be("Refund limit");
        circlePolicy.GetProperty("domainKey").GetString().Should().Be("customer-service/refunds");
        var grant = circlePolicy.GetProperty("grants").EnumerateArray().Should().ContainSingle().Subject;
        grant.GetProperty("roleId").GetGuid().Should().Be(agent);
        grant.GetProperty("maxAmount").GetDecimal().Should().Be(500);
        grant.GetProperty("currency").GetString().Should().Be("EUR");
        (await org.GetAsync($"roles/{agent}")).GetProperty("policies").EnumerateArray()
            .Select(p => p.GetProperty("id").GetGuid()).Should().Equal(policyId);
    }

    [Fact]
    public async Task A_policy_on_a_domain_shows_on_the_role_holding_it()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var refunds = await org.RoleAsync(org.AnchorCircleId, "Refunds", "refunds");
        var other = await org.RoleAsync(org.AnchorCircleId, "Other", "other");

        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Refunds need a ticket", "refunds/eu")));

        (await org.GetAsync($"roles/{refunds}")).GetProperty("policies").GetArrayLength().Should().Be(1);
        (await org.GetAsync($"roles/{other}")).GetProperty("policies").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Policies_are_amended_and_removed_by_id()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var policyId = (await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Old"))))[0];

        await org.AdoptAsync(org.AnchorCircleId, Change.AmendPolicy(policyId, Change.Policy("New")));
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies")[0].GetProperty("title").GetString().Should().Be("New");

        var removed = await org.GovernAsync(org.AnchorCircleId, Change.RemovePolicy(policyId));
        removed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies").GetArrayLength().Should().Be(0);
        await (await org.GovernAsync(org.AnchorCircleId, Change.RemovePolicy(policyId))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var history = await org.GetAsync($"roles/{org.AnchorCircleId}/history");
        history.EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().Contain(["policy_adopted", "policy_amended", "policy_removed"]);
    }

    [Fact]
    public async Task A_policy_regulates_only_the_circles_own_domains()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");

        await (await org.GovernAsync(cs, Change.AddPolicy(Change.Policy("Brand rules", "marketing"))))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");
    }

    [Fact]
    public async Task A_policy_grants_only_to_roles_within_the_circle_including_deeper_ones()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var eu = await org.CircleAsync(cs, "EU Support", "customer-service/eu");
        var euAgent = await org.RoleAsync(eu, "EU Agent");
        var outsider = await org.RoleAsync(org.AnchorCircleId, "Outsider");

        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Deep grant", null, Change.Grant(euAgent, 100, "EUR"))));
        await (await org.GovernAsync(cs, Change.AddPolicy(Change.Policy("Bad grant", null, Change.Grant(outsider)))))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
        var other = await Scenario.FoundAsync(app.Client);
        var foreignRole = await other.RoleAsync(other.AnchorCircleId, "Foreign");
        await (await org.GovernAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Foreign grant", null, Change.Grant(foreignRole)))))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
    }

    [Theory]
    [InlineData("{\"title\":\"\",\"text\":\"t\"}")]
    [InlineData("{\"title\":\"t\",\"text\":\"\"}")]
    [InlineData("{\"title\":\"t\",\"text\":\"x\",\"domainKey\":\"Bad Key\"}")]
    [InlineData("{\"title\":\"t\",\"text\":\"x\",\"grants\":[{\"roleId\":\"ROLE\",\"maxAmount\":-1,\"currency\":\"EUR\"}]}")]
    [InlineData("{\"title\":\"t\",\"text\":\"x\",\"grants\":[{\"roleId\":\"ROLE\",\"maxAmount\":10}]}")]
    [InlineData("{\"title\":\"t\",\"text\":\"x\",\"grants\":[{\"roleId\":\"ROLE\",\"maxAmount\":10,\"currency\":\"EURO\"}]}")]
    public async Task Malformed_policies_are_400_problems(string policy)
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Agent");

        var response = await org.GovernAsync(org.AnchorCircleId,
            new { op = "addPolicy", policy = JsonDocument.Parse(policy.Replace("ROLE", role.ToString(), StringComparison.Ordinal)).RootElement });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies").GetArrayLength().Should().Be(0);
    }
}
