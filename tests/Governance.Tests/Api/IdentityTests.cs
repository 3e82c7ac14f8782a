using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>Who is asking: tokens, API keys, standing in an organisation, admins, the actor on every event.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdentityTests(GovernanceApp app)
{
    [Fact]
    public async Task Without_valid_credentials_every_route_is_a_401_problem_that_says_how_to_authenticate()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var anonymous = app.ClientWith(null);
        var forged = app.ClientWith(new AuthenticationHeaderValue("Bearer",
            Governance.Identity.LocalTokens.Issue("another-key-that-is-long-enough-to-sign-tokens", "x", "tester@example.org", "Forger", TimeSpan.FromHours(1))));
        var unknownKey = app.ClientWith(new AuthenticationHeaderValue("ApiKey", $"gov_{Guid.NewGuid():N}_secret"));

        foreach (var client in new[] { anonymous, forged, unknownKey })
        {
            var response = await client.GetAsync($"{org.Base}/roles");
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            problem.GetProperty("type").GetString().Should().EndWith("unauthenticated");
            response.Headers.WwwAuthenticate.Should().NotBeEmpty();
        }
        (await anonymous.PostAsJsonAsync("/api/orgs", new { name = "Nobody's" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_founder_joins_as_first_person_and_admin_and_is_the_actor_of_the_founding()
    {
        var founder = app.ClientFor("founder@acme.test", "Fay Founder", subject: "idp|fay");
        var org = await Scenario.FoundAsync(founder);

        var anchor = await org.GetAsync($"circles/{org.AnchorCircleId}");
        var history = await org.GetAsync($"roles/{org.AnchorCircleId}/history");
        history[0].GetProperty("actor").GetProperty("kind").GetString().Should().Be("person");
        history[0].GetProperty("actor").GetProperty("name").GetString().Should().Be("Fay Founder");
        history[0].GetProperty("correlationId").GetString().Should().NotBeNullOrEmpty();
        var founderId = history[0].GetProperty("actor").GetProperty("personId").GetGuid();
        (await org.GetAsync($"people/{founderId}")).GetProperty("email").GetString().Should().Be("founder@acme.test");
        anchor.GetProperty("name").GetString().Should().Be("Acme");
        // The same person by subject alone, even with another e-mail in the token.
        var bySubject = org.As(app.ClientFor("fay@elsewhere.test", "Fay", subject: "idp|fay"));
        (await bySubject.Client.GetAsync($"{org.Base}/events")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_credential_without_standing_in_an_organisation_meets_its_404_never_a_403()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var stranger = app.ClientFor("stranger@nowhere.test", "Stranger");

        foreach (var path in new[] { "", "/roles", $"/circles/{org.AnchorCircleId}", "/decision-makers?domain=x", "/events" })
        {
            var problem = await (await stranger.GetAsync($"{org.Base}{path}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            problem.GetProperty("type").GetString().Should().EndWith("organisation-not-found");
        }
        var unknown = await (await stranger.GetAsync($"/api/orgs/{Guid.NewGuid()}/roles")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        unknown.GetProperty("type").GetString().Should().EndWith("organisation-not-found");
    }

    [Fact]
    public async Task People_read_the_registry_admins_read_the_record()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.PersonAsync("Ana");
        var asAna = org.As(app.ClientOf("Ana"));

        (await asAna.Client.GetAsync($"{org.Base}/roles")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await asAna.Client.GetAsync($"{org.Base}/decision-makers?domain=anything")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await asAna.Client.GetAsync($"{org.Base}/people/{ana}/decisions")).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var path in new[] { "/events", $"/roles/{org.AnchorCircleId}/history", $"/people/{ana}/history", "/domains/x/history", "/api-keys" })
        {
            var problem = await (await asAna.Client.GetAsync($"{org.Base}{path}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            problem.GetProperty("type").GetString().Should().EndWith("admins-only");
        }
        await (await asAna.Client.PostAsJsonAsync($"{org.Base}/people", new { name = "Ben", email = "ben@example.org" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await app.Client.PostAsJsonAsync($"{org.Base}/admins", new { personId = ana })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await asAna.Client.GetAsync($"{org.Base}/events")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admins_come_and_go_but_the_last_one_stays()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.PersonAsync("Ana");
        var founder = (await org.GetAsync($"roles/{org.AnchorCircleId}/history"))[0].GetProperty("actor").GetProperty("personId").GetGuid();

        (await app.Client.PostAsJsonAsync($"{org.Base}/admins", new { personId = ana })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await app.Client.DeleteAsync($"{org.Base}/admins/{founder}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        // The tester is no admin any more; Ana is the last one.
        await (await app.Client.GetAsync($"{org.Base}/events")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var asAna = app.ClientOf("Ana");
        await (await asAna.DeleteAsync($"{org.Base}/admins/{ana}")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await asAna.DeleteAsync($"{org.Base}/admins/{founder}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await asAna.PostAsJsonAsync($"{org.Base}/admins", new { personId = Guid.NewGuid() })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_api_key_is_shown_once_reads_within_its_scopes_never_writes_and_is_refused_once_revoked()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var created = await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Support desk", scopes = new[] { "registry:read" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (keyId, key) = (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
        key.Should().StartWith("gov_");
        var listed = await org.GetAsync("api-keys");
        listed.GetRawText().Should().NotContain(key).And.NotContain(key[^20..]);
        var desk = app.ClientWith(new AuthenticationHeaderValue("ApiKey", key));

        (await desk.GetAsync($"{org.Base}/decision-makers?domain=refunds")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await desk.GetAsync($"{org.Base}/roles")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await desk.GetAsync($"{org.Base}/events")).ShouldBeProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("type").GetString().Should().EndWith("scope-missing");
        (await (await desk.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("Sneaky") } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString().Should().EndWith("read-only-credential");
        await (await desk.PostAsJsonAsync("/api/orgs", new { name = "By a key" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await desk.GetAsync($"/api/orgs/{(await Scenario.FoundAsync(app.Client)).OrgId}/roles")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await app.Client.DeleteAsync($"{org.Base}/api-keys/{keyId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await desk.GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await org.GetAsync("api-keys")).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_audit_key_exports_the_record()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var body = await (await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Auditor", scopes = new[] { "audit:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var auditor = app.ClientWith(new AuthenticationHeaderValue("ApiKey", body.GetProperty("key").GetString()));

        (await auditor.GetAsync($"{org.Base}/events")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync($"{org.Base}/roles/{org.AnchorCircleId}/history")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await auditor.GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("{\"name\":\"Desk\",\"scopes\":[]}")]
    [InlineData("{\"name\":\"Desk\",\"scopes\":[\"registry:write\"]}")]
    [InlineData("{\"name\":\"\",\"scopes\":[\"registry:read\"]}")]
    public async Task Api_keys_need_a_name_and_known_scopes(string json)
    {
        var org = await Scenario.FoundAsync(app.Client);
        await (await app.Client.PostAsync($"{org.Base}/api-keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_person_added_with_an_external_id_is_found_by_their_tokens_subject()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var created = await app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = "Cy", email = "cy@example.org", externalId = "idp|cy" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var cy = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = "Cy Two", email = "cy2@example.org", externalId = "idp|cy" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var asCy = app.ClientFor("no-such-email@example.org", "Cy", subject: "idp|cy");
        (await asCy.GetAsync($"{org.Base}/people/{cy}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_another_within_a_second()
    {
        await using var other = AnotherInstance.Start(app, new Dictionary<string, string>());
        var org = await Scenario.FoundAsync(app.Client);
        var body = await (await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Desk", scopes = new[] { "registry:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var desk = other.CreateClient();
        desk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", body.GetProperty("key").GetString());
        var seen = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 40 && seen != HttpStatusCode.OK; attempt++)
        {
            // Until it has polled (200 ms), the other instance knows no such key (401).
            await Task.Delay(50);
            seen = (await desk.GetAsync($"{org.Base}/roles")).StatusCode;
        }
        seen.Should().Be(HttpStatusCode.OK, "the other instance learns of the key by following the store");

        (await app.Client.DeleteAsync($"{org.Base}/api-keys/{body.GetProperty("id").GetGuid()}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var revoked = DateTimeOffset.UtcNow;
        while ((await desk.GetAsync($"{org.Base}/roles")).StatusCode == HttpStatusCode.OK && DateTimeOffset.UtcNow - revoked < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(20);
        }

        (await desk.GetAsync($"{org.Base}/roles")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the contract: refused on every instance within a second");
    }

    [Fact]
    public async Task A_token_claiming_someones_email_speaks_for_them_only_if_they_have_no_provider_identity_and_the_email_is_verified()
    {
        var org = await Scenario.FoundAsync(app.Client);
        (await app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = "Bound", email = "bound@example.org", externalId = "idp|bound" })).EnsureSuccessStatusCode();
        await org.PersonAsync("Loose");

        var impostor = app.ClientWith(new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor("bound@example.org", "Impostor", subject: "idp|impostor")));
        var unverified = app.ClientWith(new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(Scenario.EmailOf("Loose"), "Loose", emailVerified: false)));
        var verified = app.ClientWith(new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(Scenario.EmailOf("Loose"), "Loose", emailVerified: true)));

        await (await impostor.GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await unverified.GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await verified.GetAsync($"{org.Base}/roles")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_limited_to_governance_scopes_reads_within_them_and_never_writes()
    {
        var org = await Scenario.FoundAsync(app.Client);
        // The tester is this organisation's admin, but this token of theirs is limited to registry:read.
        var limited = app.ClientWith(new AuthenticationHeaderValue("Bearer",
            GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester", scopes: ["openid", "registry:read"])));

        (await limited.GetAsync($"{org.Base}/roles")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await limited.GetAsync($"{org.Base}/events")).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString().Should().EndWith("scope-missing");
        (await (await limited.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("No") } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString().Should().EndWith("read-only-credential");
    }

    [Fact]
    public async Task The_development_user_acts_as_an_admin_of_every_organisation_only_in_development_mode()
    {
        await using var development = AnotherInstance.Start(app, new Dictionary<string, string> { ["Governance__Auth__Development"] = "true" });
        var anonymous = development.CreateClient();

        var founded = await anonymous.PostAsJsonAsync("/api/orgs", new { name = "Dev Co" });
        founded.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await founded.Content.ReadFromJsonAsync<JsonElement>();
        var org = new Scenario(anonymous, body.GetProperty("id").GetGuid(), body.GetProperty("anchorCircleId").GetGuid());
        var history = await org.GetAsync($"roles/{org.AnchorCircleId}/history");
        history[0].GetProperty("actor").GetProperty("kind").GetString().Should().Be("development");
        // A token still speaks for its person there; on the suite's instance, without credentials, nothing does.
        var asTester = development.CreateClient();
        asTester.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester"));
        await (await asTester.GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.ClientWith(null).GetAsync($"{org.Base}/roles")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Outside_development_without_authentication_the_service_does_not_start_and_says_why_in_one_line()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Governance__Auth__SigningKey"] = null },
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(1);
        (await error).Trim().Should().StartWith("No authentication is configured").And.NotContain("\n");
        (await output).Should().NotContain("PostgreSQL", "nothing starts, not even the database");
    }
}
