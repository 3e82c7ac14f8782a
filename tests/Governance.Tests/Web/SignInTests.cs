using System.Net.Http.Headers;
using FluentAssertions;
using Governance.Tests.Support;
using Microsoft.Playwright;

namespace Governance.Tests.Web;

/// <summary>
/// Signing in to the pages outside development mode (issue 15, item 5): instances of the service on
/// the web app's database, configured as a real install is, driven by the browser.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SignInTests(WebApp web) : IDisposable
{
    private const string Audience = "governance-api";
    private const string ClientId = "governance-web";
    private readonly List<DirectoryInfo> _homes = [];

    [Fact]
    public async Task People_sign_in_at_the_authority_and_see_their_organisation_and_no_one_elses()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var service = await StartAsync(new()
        {
            ["Governance__Auth__Authority"] = provider.Authority,
            ["Governance__Auth__Audience"] = Audience,
            ["Governance__Auth__ClientId"] = ClientId,
        });
        using var asOla = Client(service, provider.TokenFor("idp|ola", "ola@example.org", "Ola", Audience));
        var org = await Scenario.FoundAsync(asOla, "Federated");
        provider.SignedIn = ("idp|ola", "ola@example.org", "Ola");
        var page = await web.PageAsync(of: service);

        var opened = await page.GotoAsync($"/orgs/{org.OrgId}");

        opened!.Status.Should().Be(200, "the provider signed Ola in and sent the browser back to the page asked for");
        page.Url.Should().EndWith($"/orgs/{org.OrgId}");
        provider.Authorizations.Should().Be(1);
        (await page.Locator("header .session").InnerTextAsync()).Should().Contain("Signed in as Ola");
        await page.GotoAsync("/");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("Federated", "the start page lists the organisations that know the person");

        var api = await page.Context.APIRequest.GetAsync($"/api/orgs/{org.OrgId}");
        api.Status.Should().Be(401, "the API takes credentials from the Authorization header only, never the pages' cookie");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).Should().Contain("You are signed out");
        await page.GotoAsync($"/orgs/{org.OrgId}");
        provider.Authorizations.Should().Be(2, "after signing out, a page sends the browser to the provider again");
        page.Url.Should().EndWith($"/orgs/{org.OrgId}");

        provider.SignedIn = ("idp|mo", "mo@example.org", "Mo");
        var stranger = await web.PageAsync(of: service);
        var refused = await stranger.GotoAsync($"/orgs/{org.OrgId}");
        refused!.Status.Should().Be(404, "a person the organisation does not know learns nothing of it");
        var refusal = await stranger.Locator("main").InnerTextAsync();
        refusal.Should().NotContain("Federated");
        var unknown = await stranger.GotoAsync($"/orgs/{Guid.CreateVersion7()}");
        unknown!.Status.Should().Be(404);
        (await stranger.Locator("main").InnerTextAsync()).Should().Be(refusal.Replace(org.OrgId.ToString(), stranger.Url.Split('/')[^1]),
            "an organisation the person may not see reads exactly as one that does not exist");
    }

    [Fact]
    public async Task Where_the_service_signs_its_own_tokens_a_pasted_token_signs_in_and_every_instance_honours_the_session()
    {
        var settings = new Dictionary<string, string> { ["Governance__Auth__SigningKey"] = GovernanceApp.SigningKey };
        await using var first = await StartAsync(settings);
        await using var second = await StartAsync(settings);
        using var asAna = Client(first, GovernanceApp.TokenFor("ana@example.org", "Ana"));
        var org = await Scenario.FoundAsync(asAna, "Local");
        var page = await web.PageAsync(of: first);

        await page.GotoAsync($"/orgs/{org.OrgId}/decide");
        page.Url.Should().Contain("/signin?ReturnUrl=", "a page without a session asks for one");
        await page.GetByLabel("Token").FillAsync(GovernanceApp.TokenFor("ana@example.org", "Ana") + "x");
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Request.Method == "POST");
        refused.Status.Should().Be(401);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().Contain("not valid");

        await page.GetByLabel("Token").FillAsync(GovernanceApp.TokenFor("ana@example.org", "Ana"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        page.Url.Should().EndWith($"/orgs/{org.OrgId}/decide", "signing in returns to the page asked for");
        (await page.Locator("header .session").InnerTextAsync()).Should().Contain("Ana");

        // The same browser at another instance: the session's keys are in the shared database.
        var there = await page.GotoAsync($"{second.Address}orgs/{org.OrgId}");
        there!.Status.Should().Be(200);
        page.Url.Should().Be($"{second.Address}orgs/{org.OrgId}");
    }

    private async Task<ServiceProcess> StartAsync(Dictionary<string, string> auth)
    {
        var settings = ServiceProcess.OnDatabase(web.ConnectionString);
        settings.Remove("Governance__Auth__Development");
        // A home of its own, as on another machine: nothing shared through ~/.aspnet (Data Protection's default key folder).
        var home = Directory.CreateTempSubdirectory("governance-instance-");
        _homes.Add(home);
        settings["HOME"] = home.FullName;
        foreach (var (name, value) in auth) settings[name] = value;
        var service = ServiceProcess.Start(settings);
        await service.ReadyAsync();
        return service;
    }

    private static HttpClient Client(ServiceProcess service, string token) =>
        new() { BaseAddress = service.Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    public void Dispose()
    {
        foreach (var home in _homes) home.Delete(recursive: true);
    }
}
