using System.Net;
using FluentAssertions;
using Governance.Identity;
using Governance.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace Governance.Tests.Api;

/// <summary>Secure by default: refused configurations, security headers, rate limits.</summary>
[Collection(ApiCollection.Name)]
public sealed class HardeningTests(GovernanceApp app)
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Governance.Api";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    [Fact]
    public void Outside_development_the_service_refuses_to_start_without_authentication_unless_development_mode_is_asked_for()
    {
        var production = new Environment(Environments.Production);

        var refusal = () => AuthMode.Of(new AuthOptions(), production);
        refusal.Should().Throw<AuthNotConfiguredException>().Which.Message.Should().Contain("Governance__Auth__SigningKey").And.NotContain("\n");
        ((Action)(() => AuthMode.Of(new AuthOptions { SigningKey = "too short" }, production))).Should().Throw<AuthNotConfiguredException>();
        AuthMode.Of(new AuthOptions { Development = true }, production).Development.Should().BeTrue();
        AuthMode.Of(new AuthOptions { SigningKey = GovernanceApp.SigningKey }, production).Development.Should().BeFalse();
        AuthMode.Of(new AuthOptions { Authority = "https://idp.example.org", Audience = "governance" }, production).Development.Should().BeFalse();
        // In Development with nothing configured: development mode, so `dotnet run` needs no token.
        AuthMode.Of(new AuthOptions(), new Environment(Environments.Development)).Development.Should().BeTrue();
        AuthMode.Of(new AuthOptions { SigningKey = GovernanceApp.SigningKey }, new Environment(Environments.Development)).Development.Should().BeFalse();
        // A command that answers no request (db-apply, verify) needs none, but what is configured is still checked.
        AuthMode.Of(new AuthOptions(), production, servesRequests: false).Development.Should().BeFalse();
        ((Action)(() => AuthMode.Of(new AuthOptions { SigningKey = "too short" }, production, servesRequests: false))).Should().Throw<AuthNotConfiguredException>();
    }

    [Fact]
    public async Task Answers_carry_security_headers_and_their_rate_limit()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var response = await app.Client.GetAsync($"{org.Base}/roles");
        var document = await app.ClientWith(null).GetAsync("/swagger/v1/swagger.json");

        document.StatusCode.Should().Be(HttpStatusCode.OK, "the OpenAPI document is public: clients are generated from it");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        int.Parse(response.Headers.GetValues("RateLimit-Limit").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        response.Headers.Contains("RateLimit-Remaining").Should().BeTrue();
    }

    [Fact]
    public async Task Refusals_carry_the_security_headers_too()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var tooLarge = new StringContent(new string('a', 1_100_000), System.Text.Encoding.UTF8, "application/json");
        var responses = new[]
        {
            await app.Client.PostAsync($"{org.Base}/people", tooLarge),
            await app.ClientWith(null).GetAsync($"{org.Base}/roles"),
            await app.Client.GetAsync($"{org.Base}/roles/{Guid.NewGuid()}"),
        };

        responses.Select(r => (int)r.StatusCode).Should().Equal(413, 401, 404);
        foreach (var response in responses)
        {
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
        }
    }

    [Fact]
    public async Task Too_many_requests_from_one_client_are_429_problems_with_retry_after()
    {
        // Clients without credentials share the smallest allowance (20 a second, bursts of 40).
        var anonymous = app.ClientWith(null);
        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => anonymous.GetAsync($"/api/orgs/{Guid.NewGuid()}/roles")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.Should().NotBeEmpty();
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.TooManyRequests || r.StatusCode == HttpStatusCode.Unauthorized);
        limited[0].Headers.RetryAfter.Should().NotBeNull();
        await limited[0].ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        // A signed-in caller draws from their own allowance meanwhile.
        (await app.Client.GetAsync($"/api/orgs/{(await Scenario.FoundAsync(app.Client)).OrgId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        // The allowance refills: wait until it is whole again (a burst is two seconds' worth), so later tests meet 401s, not 429s.
        for (var attempt = 0; attempt < 50 && (await anonymous.GetAsync("/api/orgs/x/roles")).StatusCode == HttpStatusCode.TooManyRequests; attempt++)
        {
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
