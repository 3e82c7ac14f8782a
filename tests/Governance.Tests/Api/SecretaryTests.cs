using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>The Secretary's interpretation rulings (§4.2.1) and striking invalid governance (§4.2.2).</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretaryTests(GovernanceApp app)
{
    private static async Task<Guid> RuleAsync(Scenario org, Guid circleId, string question, string ruling, string? domainKey)
    {
        var response = await org.Client.PostAsJsonAsync($"{org.Base}/circles/{circleId}/rulings", new { question, ruling, domainKey });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static IEnumerable<JsonElement> Rulings(JsonElement answer) =>
        answer.GetProperty("chain").EnumerateArray().Where(s => s.GetProperty("rule").GetString() == "InterpretationRuling");

    [Fact]
    public async Task A_ruling_on_a_domain_is_shown_in_who_decides_for_it_the_super_circles_prevailing_until_withdrawn()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        await org.AssignAsync(agent, await org.PersonAsync("Ana"));
        var inner = await RuleAsync(org, cs, "Does a voucher count as a refund?", "Yes: vouchers are refunds.", "customer-service/refunds");
        await RuleAsync(org, org.AnchorCircleId, "Do goodwill vouchers count as refunds?", "Only above 50 EUR.", "customer-service");
        await RuleAsync(org, cs, "Who books the shared room?", "The Office Steward.", null);

        var answer = await org.WhoDecidesAsync("customer-service/refunds/eu");

        var rulings = Rulings(answer).Select(s => s.GetProperty("detail").GetString()!).ToList();
        rulings.Should().HaveCount(2, "the ruling about no domain, and none about another, stays out of this answer");
        rulings[0].Should().Contain("Customer Service").And.Contain("vouchers are refunds").And.NotContain("prevails");
        rulings[1].Should().Contain("Only above 50 EUR").And.Contain("prevails");
        Rulings(answer).Should().AllSatisfy(s => s.GetProperty("citation").GetString().Should().Be("Holacracy 5.0 §4.2.1"));
        (await org.GetAsync($"circles/{cs}")).GetProperty("rulings").GetArrayLength().Should().Be(2);
        Rulings(await org.WhoDecidesAsync("customer-service/complaints")).Should().ContainSingle("only the Anchor Circle's ruling covers it");

        var withdrawn = await org.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings/{inner}/withdraw", new { reason = "The refund policy now says so." });
        withdrawn.StatusCode.Should().Be(HttpStatusCode.NoContent, await withdrawn.Content.ReadAsStringAsync());
        Rulings(await org.WhoDecidesAsync("customer-service/refunds/eu")).Should().ContainSingle();
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings/{inner}/withdraw", new { reason = "Again" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_secretary_rules_and_only_on_the_circles_own_domains()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var ana = await org.MemberAsync(cs, "Ana");
        var ruling = new { question = "Q?", ruling = "R.", domainKey = "customer-service/refunds" };

        await (await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings", ruling)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §4.2.1");
        (await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/elections", new { role = "Secretary", personId = ana, termEnds = DateTimeOffset.UtcNow.AddDays(30) }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings", ruling)).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings", new { question = "Q?", ruling = "R.", domainKey = "marketing" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §4.2");
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings", new { question = " ", ruling = "R." })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Striking_invalid_governance_undoes_its_effect_and_keeps_the_struck_record()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var batch = await org.GovernAsync(cs, Change.CreateRole("Facilitator Helper", "Assigns the facilitator", domains: ["customer-service/meetings"]), Change.AddAccountability(agent, "Approving all refunds"));
        var adopted = await batch.Content.ReadFromJsonAsync<JsonElement>();
        var (version, helper) = (adopted.GetProperty("version").GetInt64(), adopted.GetProperty("results")[0].GetProperty("roleId").GetGuid());
        var strike = $"{org.Base}/circles/{cs}/governance/{version}/strike";

        await (await org.Client.PostAsJsonAsync(strike, new { reason = "Beyond", changes = new[] { Change.RemoveRole(ops) } }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §4.2.2");
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/governance/99/strike", new { reason = "No such", changes = new[] { Change.RemoveRole(helper) } }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await org.MemberAsync(cs, "Ben");
        await (await app.ClientOf("Ben").PostAsJsonAsync(strike, new { reason = "Not mine", changes = new[] { Change.RemoveRole(helper) } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §4.2.1");
        var struck = await org.Client.PostAsJsonAsync(strike, new
        {
            reason = "Facilitator duties are assigned only by election (§1.3.5); no role may take them.",
            changes = new[] { Change.RemoveRole(helper), Change.RemoveAccountability(agent, "Approving all refunds") },
        });
        struck.StatusCode.Should().Be(HttpStatusCode.OK, await struck.Content.ReadAsStringAsync());
        var strikeVersion = (await struck.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        (await org.GetAsync($"roles/{helper}", HttpStatusCode.NotFound)).GetProperty("status").GetInt32().Should().Be(404);
        (await org.GetAsync($"roles/{agent}")).GetProperty("accountabilities").GetArrayLength().Should().Be(0);
        var records = (await org.GetAsync($"circles/{cs}/governance")).GetProperty("items").EnumerateArray().ToList();
        var original = records.Single(r => r.GetProperty("version").GetInt64() == version);
        original.GetProperty("changes").GetArrayLength().Should().Be(2, "the struck record stays as it was");
        original.GetProperty("struckBy").GetInt64().Should().Be(strikeVersion);
        original.GetProperty("struckBecause").GetString().Should().Contain("§1.3.5");
        var striking = records.Single(r => r.GetProperty("version").GetInt64() == strikeVersion);
        striking.GetProperty("strikes").GetProperty("version").GetInt64().Should().Be(version);
        await (await org.Client.PostAsJsonAsync(strike, new { reason = "Twice", changes = new[] { Change.CreateRole("X") } })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }
}
