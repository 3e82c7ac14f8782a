using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class FreeTextTests(GovernanceApp app)
{
    private static async Task<JsonElement> AskAsync(Scenario org, string q) => await org.GetAsync($"decision-makers?q={Uri.EscapeDataString(q)}");

    private async Task<(Scenario Org, Guid Refunds, Guid Payroll, Guid Ana)> CompanyAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ids = await org.AdoptAsync(org.AnchorCircleId,
            new
            {
                op = "createRole",
                name = "Refunds Agent",
                purpose = "Customers are treated fairly",
                accountabilities = new[] { "Reviewing complaints" },
                domains = new[] { new { key = "customer-service/refunds", title = "Refunds", keywords = new[] { "money back", "chargeback" } } }
            },
            Change.CreateRole("Payroll Clerk", "People are paid on time", ["Paying salaries"], ["finance/payroll"]));
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(ids[0], ana);
        return (org, ids[0], ids[1], ana);
    }

    [Fact]
    public async Task A_keyword_of_a_domain_finds_it()
    {
        var (org, refunds, _, ana) = await CompanyAsync();

        var answer = await AskAsync(org, "The customer wants their money back");

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("domain").GetProperty("key").GetString().Should().Be("customer-service/refunds");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        answer.GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        answer.GetProperty("chain")[0].GetProperty("rule").GetString().Should().Be("FreeTextMatched");
        answer.GetProperty("candidates")[0].GetProperty("domain").GetProperty("key").GetString().Should().Be("customer-service/refunds");
    }

    [Fact]
    public async Task An_accountability_or_role_name_finds_the_roles_domain()
    {
        var (org, _, payroll, _) = await CompanyAsync();

        (await AskAsync(org, "who handles salaries?")).GetProperty("role").GetProperty("id").GetGuid().Should().Be(payroll);
        (await AskAsync(org, "payroll")).GetProperty("domain").GetProperty("key").GetString().Should().Be("finance/payroll");
    }

    [Fact]
    public async Task Two_roles_matching_about_equally_make_the_question_ambiguous()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.AdoptAsync(org.AnchorCircleId,
            Change.CreateRole("Designer", domains: ["website/design"]),
            Change.CreateRole("Editor", domains: ["website/content"]));

        var answer = await AskAsync(org, "website");

        answer.GetProperty("status").GetString().Should().Be("Ambiguous");
        answer.GetProperty("decisionMakers").GetArrayLength().Should().Be(0);
        answer.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("domain").GetProperty("key").GetString())
            .Should().BeEquivalentTo(["website/design", "website/content"]);
        answer.GetProperty("chain").EnumerateArray().Last().GetProperty("rule").GetString().Should().Be("Ambiguous");
    }

    [Fact]
    public async Task Nothing_matching_is_no_domain_with_section_4_1_2_guidance()
    {
        var (org, _, _, _) = await CompanyAsync();

        var answer = await AskAsync(org, "quantum entanglement experiments");

        answer.GetProperty("status").GetString().Should().Be("NoDomain");
        answer.GetProperty("chain")[0].GetProperty("citation").GetString().Should().Be("Holacracy 5.0 §4.1.2");
        answer.GetProperty("chain")[0].GetProperty("detail").GetString().Should().Contain("quantum entanglement");
    }

    [Fact]
    public async Task An_amount_written_in_the_question_makes_it_a_spending_question()
    {
        var (org, _, _, _) = await CompanyAsync();
        var agent = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var ben = await org.PersonAsync("Ben");
        await org.AssignAsync(agent, ben);
        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Agents refund", "customer-service/refunds", Change.Grant(agent, 500, "EUR"))));

        var within = await AskAsync(org, "refund over 500 EUR");
        var above = await AskAsync(org, "refund of €750");

        within.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("rule").GetString()).Should().Contain(["AmountFromQuestion", "SpendingAuthorised"]);
        within.GetProperty("decisionMakers").EnumerateArray().Should().Contain(m => m.GetProperty("personId").GetGuid() == ben);
        above.GetProperty("decisionMakers").EnumerateArray().Should().NotContain(m => m.GetProperty("personId").GetGuid() == ben);
    }

    [Fact]
    public async Task Free_text_works_in_a_batch_and_empty_or_huge_text_is_refused()
    {
        var (org, _, payroll, _) = await CompanyAsync();

        var response = await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch",
            new { questions = new object[] { new { q = "salaries" }, new { domain = "customer-service/refunds" } } });
        var answers = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answers");
        answers[0].GetProperty("role").GetProperty("id").GetGuid().Should().Be(payroll);
        answers[1].GetProperty("status").GetString().Should().Be("Resolved");

        await (await app.Client.GetAsync($"{org.Base}/decision-makers?q=%20%20")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.GetAsync($"{org.Base}/decision-makers?q={new string('a', 501)}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await AskAsync(org, "the and of")).GetProperty("status").GetString().Should().Be("NoDomain");
    }
}
