using System.Globalization;
using System.Net;
using Deque.AxeCore.Playwright;
using FluentAssertions;
using Governance.Tests.Support;
using Microsoft.Playwright;

namespace Governance.Tests.Web;

/// <summary>The web app's main tasks, in a real browser against the running service (issue 15).</summary>
[Collection(WebCollection.Name)]
public sealed class WebAppTests(WebApp web)
{
    /// <summary>An organisation with a Customer Service circle, a Refunds Agent filled by Ana (focus EU) and a refund limit.</summary>
    private async Task<(Scenario Org, Guid Cs, Guid Agent, Guid Ana)> RefundsAsync()
    {
        var org = await Scenario.FoundAsync(web.Service.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = (await org.AdoptAsync(cs, new
        {
            op = "createRole",
            name = "Refunds Agent",
            purpose = "Customers get their money back fairly",
            accountabilities = new[] { "Refunding customers" },
            domains = new[] { new { key = "customer-service/refunds", title = "Refunds", keywords = new[] { "refund", "money back" } } },
        }))[0];
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana, "EU");
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Refund limit", "customer-service/refunds", Change.Grant(agent, 500, "EUR"))));
        return (org, cs, agent, ana);
    }

    [Fact]
    public async Task Who_decides_answers_in_one_box_with_the_person_their_role_and_the_reasons()
    {
        var (org, _, _, _) = await RefundsAsync();
        var page = await web.PageAsync();

        var opened = await page.GotoAsync($"/orgs/{org.OrgId}/decide");
        (await opened!.HeaderValueAsync("server-timing")).Should().MatchRegex(@"^app;dur=\d+\.\d$", "pages say the server's time");
        (await web.Service.Client.GetAsync($"/api/orgs/{org.OrgId}")).Headers.Contains("Server-Timing").Should().BeFalse();
        await page.GetByLabel("What is to be decided?").FillAsync("refund");
        await page.GetByLabel("What is to be decided?").PressAsync("Enter");

        var answer = page.Locator("section.answer");
        await Assertions.Expect(answer.Locator("h2")).ToHaveTextAsync("This is decided by");
        await Assertions.Expect(answer.Locator(".people li")).ToContainTextAsync("Ana");
        await Assertions.Expect(answer.Locator(".people li")).ToContainTextAsync("Refunds Agent");
        await Assertions.Expect(answer.Locator(".people li")).ToContainTextAsync("EU");
        await Assertions.Expect(answer.Locator(".chain")).ToContainTextAsync("Holacracy 5.0 §1.4.1");
        await Assertions.Expect(answer.Locator(".policies")).ToContainTextAsync("Refund limit");

        await answer.GetByRole(AriaRole.Link, new() { Name = "Ana" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ana");
        await Assertions.Expect(page.Locator("section[aria-labelledby=decides]")).ToContainTextAsync("customer-service/refunds");
    }

    [Fact]
    public async Task An_unheld_question_says_so_and_a_key_inside_a_domain_is_decided_by_its_holder()
    {
        var (org, cs, _, _) = await RefundsAsync();
        await org.AssignAsync(cs, await org.PersonAsync("Lena"));
        var page = await web.PageAsync();

        await page.GotoAsync($"/orgs/{org.OrgId}/decide?q={Uri.EscapeDataString("office plants")}");
        await Assertions.Expect(page.Locator("section.answer h2")).ToHaveTextAsync("Nobody holds this as a domain");
        await Assertions.Expect(page.Locator(".chain")).ToContainTextAsync("§4.1");

        await page.GotoAsync($"/orgs/{org.OrgId}/decide?q=customer-service/nothing-here");
        await Assertions.Expect(page.Locator("section.answer .domain")).ToContainTextAsync("customer-service");
        await Assertions.Expect(page.Locator(".people li").First).ToContainTextAsync("Lena");
        await Assertions.Expect(page.Locator(".people li").First).ToContainTextAsync("Customer Service");
    }

    [Fact]
    public async Task The_chart_draws_every_circle_and_role_and_zooms_into_a_circle()
    {
        var (org, cs, agent, _) = await RefundsAsync();
        var page = await web.PageAsync();

        await page.GotoAsync($"/orgs/{org.OrgId}");

        var shapes = page.Locator("svg#chart a.node");
        await Assertions.Expect(shapes).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#zoom-out")).ToBeHiddenAsync();
        // By keyboard: the circle's shape is a link; Enter zooms in (its roles cover its centre for a mouse).
        await page.Locator($"svg#chart a[href='/orgs/{org.OrgId}/roles/{cs}']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#zoom-out")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-focus")).ToHaveTextAsync("Showing Customer Service");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#zoom-out")).ToBeHiddenAsync();

        await page.Locator($"svg#chart a[href='/orgs/{org.OrgId}/roles/{agent}'] circle").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Refunds Agent");
        await Assertions.Expect(page.Locator("section[aria-labelledby=fillers]")).ToContainTextAsync("Ana");
        await Assertions.Expect(page.Locator("section[aria-labelledby=domains]")).ToContainTextAsync("customer-service/refunds");
        await Assertions.Expect(page.Locator("section[aria-labelledby=history] li").First).ToContainTextAsync("Person assigned to role");
    }

    [Fact]
    public async Task The_time_picker_shows_the_filler_of_then_and_every_link_keeps_that_instant()
    {
        var (org, _, agent, ana) = await RefundsAsync();
        await Task.Delay(1100);
        var then = DateTimeOffset.UtcNow;
        await Task.Delay(1100);
        (await org.Client.DeleteAsync($"{org.Base}/roles/{agent}/assignments/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await org.AssignAsync(agent, await org.PersonAsync("Ben"));
        var page = await web.PageAsync();

        await page.GotoAsync($"/orgs/{org.OrgId}/roles/{agent}");
        var fillers = page.Locator("section[aria-labelledby=fillers]");
        await Assertions.Expect(fillers).ToContainTextAsync("Ben");
        await Assertions.Expect(fillers).Not.ToContainTextAsync("Ana");

        await page.GetByLabel("Show as of (UTC)").FillAsync(then.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("asOf="));
        await Assertions.Expect(fillers).ToContainTextAsync("Ana");
        await Assertions.Expect(fillers).Not.ToContainTextAsync("Ben");
        await Assertions.Expect(page.Locator("p.past")).ToContainTextAsync("as it stood on");
        (await fillers.GetByRole(AriaRole.Link, new() { Name = "Ana" }).GetAttributeAsync("href")).Should().Contain("asOf=");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to now" }).ClickAsync();
        await Assertions.Expect(fillers).ToContainTextAsync("Ben");
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_a_404_page_and_a_bad_instant_a_400_page()
    {
        var (org, _, _, _) = await RefundsAsync();
        var page = await web.PageAsync();

        var missing = await page.GotoAsync($"/orgs/{org.OrgId}/roles/{Guid.NewGuid()}");
        missing!.Status.Should().Be(404);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found.");
        var stranger = await page.GotoAsync($"/orgs/{Guid.NewGuid()}");
        stranger!.Status.Should().Be(404);
        var bad = await page.GotoAsync($"/orgs/{org.OrgId}?asOf=yesterday");
        bad!.Status.Should().Be(400);
        await Assertions.Expect(page.Locator(".problem")).ToContainTextAsync("ISO-8601");
    }

    [Fact]
    public async Task A_member_answers_a_proposal_from_their_inbox_and_the_last_consent_adopts_it()
    {
        var (org, cs, _, ana) = await RefundsAsync();
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);
        var ben = await org.MemberAsync(cs, "Ben");
        await org.ProposalAsync(cs, ana, DateTimeOffset.UtcNow.AddDays(2), Change.CreateRole("Chargeback Analyst"));
        var page = await web.PageAsync();

        await page.GotoAsync($"/orgs/{org.OrgId}/proposals");
        await page.GetByLabel("Respond and propose as").SelectOptionAsync(new SelectOptionValue { Label = "Ben" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show their inbox" }).ClickAsync();
        var inbox = page.Locator("section[aria-labelledby=inbox]");
        await Assertions.Expect(inbox.Locator("article")).ToHaveCountAsync(1);
        await Assertions.Expect(inbox).ToContainTextAsync("Create the role “Chargeback Analyst”");

        // An objection needs its reason: the API's problem, shown on the page.
        await inbox.GetByRole(AriaRole.Radio, new() { Name = "Objection", Exact = true }).CheckAsync();
        await inbox.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".problem")).ToBeVisibleAsync();
        await inbox.GetByRole(AriaRole.Radio, new() { Name = "No objection" }).CheckAsync();
        await inbox.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Answer recorded");
        await Assertions.Expect(inbox.Locator("article")).ToHaveCountAsync(0);

        await page.GotoAsync($"/orgs/{org.OrgId}/proposals?as={lena}");
        var beforeAdoption = DateTimeOffset.UtcNow;
        await inbox.GetByRole(AriaRole.Radio, new() { Name = "No objection" }).CheckAsync();
        await inbox.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("adopted");
        (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Should().Contain("Chargeback Analyst");
        await Assertions.Expect(page.Locator("section[aria-labelledby=open]")).ToContainTextAsync("None.");

        // The time picker: the proposal open then, and nothing to answer in the past.
        await page.GotoAsync($"/orgs/{org.OrgId}/proposals?as={lena}&asOf={Uri.EscapeDataString(beforeAdoption.ToString("O"))}");
        await Assertions.Expect(page.Locator("section[aria-labelledby=open]")).ToContainTextAsync("Something is missing");
        await Assertions.Expect(inbox).ToHaveCountAsync(0);
        ben.Should().NotBe(lena);
    }

    [Fact]
    public async Task A_proposal_submitted_as_a_form_is_checked_like_the_api_with_the_section_it_breaks()
    {
        var (org, cs, _, ana) = await RefundsAsync();
        var page = await web.PageAsync();
        await page.GotoAsync($"/orgs/{org.OrgId}/proposals?as={ana}");
        var form = page.Locator("section[aria-labelledby=propose]");
        await form.GetByLabel("Circle").SelectOptionAsync(new SelectOptionValue { Label = "Customer Service" });
        await form.GetByLabel("Tension (what is not working, for one of your roles)").FillAsync("Nobody answers chargebacks");
        await form.GetByLabel("Role name").FillAsync("Chargeback Analyst");

        await form.GetByLabel("Domain key").FillAsync("marketing/ads");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit the proposal" }).ClickAsync();
        await Assertions.Expect(page.Locator(".problem")).ToContainTextAsync("Holacracy 5.0 §1.3.2");

        await form.GetByLabel("Circle").SelectOptionAsync(new SelectOptionValue { Label = "Customer Service" });
        await form.GetByLabel("Tension (what is not working, for one of your roles)").FillAsync("Nobody answers chargebacks");
        await form.GetByLabel("Role name").FillAsync("Chargeback Analyst");
        await form.GetByLabel("Domain key").FillAsync("customer-service/chargebacks");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit the proposal" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Proposal submitted");
        await Assertions.Expect(page.Locator("section[aria-labelledby=open]")).ToContainTextAsync("Nobody answers chargebacks");
        (await org.GetAsync($"proposals?circleId={cs}")).GetProperty("items").EnumerateArray().Single().GetProperty("proposerId").GetGuid().Should().Be(ana);
    }

    [Fact]
    public async Task A_change_to_a_role_is_proposed_from_its_page_one_change_per_field_checked_like_the_api()
    {
        var (org, cs, agent, ana) = await RefundsAsync();
        var page = await web.PageAsync();
        await page.GotoAsync($"/orgs/{org.OrgId}/roles/{agent}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Propose a change to this role" }).ClickAsync();
        await page.GetByLabel("Respond and propose as").SelectOptionAsync(new SelectOptionValue { Label = "Ana" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show their inbox" }).ClickAsync();
        var form = page.Locator("section[aria-labelledby=change]");
        await Assertions.Expect(form.GetByLabel("Role", new() { Exact = true })).ToHaveValueAsync(agent.ToString());

        await form.GetByLabel("Tension (what is not working, for one of your roles)").FillAsync("Chargebacks land nowhere");
        await form.GetByLabel("Give it the domain (key)").FillAsync("marketing/ads");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit the change" }).ClickAsync();
        await Assertions.Expect(page.Locator(".problem")).ToContainTextAsync("Holacracy 5.0 §1.3.2");

        await form.GetByLabel("Tension (what is not working, for one of your roles)").FillAsync("Chargebacks land nowhere");
        await form.GetByLabel("New purpose").FillAsync("Customers get their money back fairly and fast");
        await form.GetByLabel("Add an accountability").FillAsync("Answering chargebacks");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit the change" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Proposal submitted");
        await Assertions.Expect(page.Locator("section[aria-labelledby=open]")).ToContainTextAsync("Chargebacks land nowhere");

        var proposal = (await org.GetAsync($"proposals?circleId={cs}")).GetProperty("items").EnumerateArray().Single();
        proposal.GetProperty("proposerId").GetGuid().Should().Be(ana);
        proposal.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("op").GetString())
            .Should().Equal("updateRole", "addAccountability");
        proposal.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("roleId").GetGuid()).Should().AllBeEquivalentTo(agent,
            "the role chosen on its page stays chosen after a refusal");
    }

    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task Every_page_has_no_serious_accessibility_violation_and_is_kept_as_a_screenshot(int width, string device)
    {
        var (org, _, agent, ana) = await RefundsAsync();
        var page = await web.PageAsync(width);
        var pages = new (string Name, string Path)[]
        {
            ("start", "/"),
            ("chart", $"/orgs/{org.OrgId}"),
            ("decide", $"/orgs/{org.OrgId}/decide?q=refund&amount=120&currency=EUR"),
            ("role", $"/orgs/{org.OrgId}/roles/{agent}"),
            ("person", $"/orgs/{org.OrgId}/people/{ana}"),
            ("proposals", $"/orgs/{org.OrgId}/proposals?as={ana}"),
        };
        Directory.CreateDirectory(WebApp.ScreenshotDirectory);
        foreach (var (name, path) in pages)
        {
            (await page.GotoAsync(path))!.Status.Should().Be(200, path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var results = await page.RunAxe();
            var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
            serious.Should().BeEmpty();
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(width, $"{name} fits the {device} width");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebApp.ScreenshotDirectory, $"{name}-{device}.png"), FullPage = true });
        }
    }
}
