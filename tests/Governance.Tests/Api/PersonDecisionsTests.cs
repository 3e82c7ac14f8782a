using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class PersonDecisionsTests(GovernanceApp app)
{
    private static IEnumerable<(string Key, string Via)> Decisions(JsonElement body) =>
        body.GetProperty("decisions").EnumerateArray().Select(d => (d.GetProperty("domain").GetProperty("key").GetString()!, d.GetProperty("via").GetString()!));

    [Fact]
    public async Task A_person_sees_every_domain_they_decide_and_through_what()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var refunds = await org.RoleAsync(cs, "Refunds", "customer-service/refunds");
        await org.RoleAsync(cs, "Complaints", "customer-service/complaints");
        var agent = await org.RoleAsync(cs, "Support Agent");
        var (lena, ana) = (await org.PersonAsync("Lena"), await org.PersonAsync("Ana"));
        await org.AssignAsync(cs, lena);
        await org.AssignAsync(refunds, ana);
        await org.AssignAsync(agent, ana);
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Agents refund", "customer-service/refunds", Change.Grant(agent, 500, "EUR"))));

        var lenas = await org.GetAsync($"people/{lena}/decisions");
        var anas = await org.GetAsync($"people/{ana}/decisions");

        Decisions(lenas).Should().BeEquivalentTo([("customer-service", "CircleLead"), ("customer-service/complaints", "CircleLead")]);
        Decisions(anas).Should().BeEquivalentTo([("customer-service/refunds", "RoleFiller"), ("customer-service/refunds", "PolicyGrant")]);
        var grant = anas.GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("via").GetString() == "PolicyGrant");
        grant.GetProperty("maxAmount").GetDecimal().Should().Be(500);
        grant.GetProperty("currency").GetString().Should().Be("EUR");

        // The reverse answer agrees with the forward one for every domain listed.
        foreach (var (person, body) in new[] { (lena, lenas), (ana, anas) })
        {
            foreach (var (key, _) in Decisions(body))
            {
                (await org.WhoDecidesAsync(key)).GetProperty("decisionMakers").EnumerateArray()
                    .Select(m => m.GetProperty("personId").GetGuid()).Should().Contain(person, $"the forward answer for {key}");
            }
        }
    }

    [Fact]
    public async Task Someone_without_roles_decides_nothing_and_an_unknown_person_is_404()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var nobody = await org.PersonAsync("Nobody");

        (await org.GetAsync($"people/{nobody}/decisions")).GetProperty("decisions").GetArrayLength().Should().Be(0);
        await (await app.Client.GetAsync($"{org.Base}/people/{Guid.NewGuid()}/decisions")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
