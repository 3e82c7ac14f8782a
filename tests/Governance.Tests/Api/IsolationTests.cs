using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>
/// Nothing leaks between organisations: every route of the OpenAPI document (read from the
/// document, not listed by hand) answers a credential of organisation A, on organisation B, with
/// the 404 of an organisation that does not exist, and every route answers 401 without credentials.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IsolationTests(GovernanceApp app)
{
    private async Task<List<(HttpMethod Method, string Path)>> RoutesAsync()
    {
        var document = JsonDocument.Parse(await app.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        return [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (new HttpMethod(op.Name.ToUpperInvariant()), path.Name)))];
    }

    /// <summary>Organisation B with one thing of each kind a route can name.</summary>
    private async Task<Dictionary<string, string>> OrganisationBAsync()
    {
        var bob = app.ClientFor("bob@b.test", "Bob");
        var b = await Scenario.FoundAsync(bob, "Bob's Company");
        var circle = await b.CircleAsync(b.AnchorCircleId, "Secret Circle", "secret");
        var role = await b.RoleAsync(circle, "Secret Role", "secret/plans");
        var person = await b.MemberAsync(b.AnchorCircleId, "Bea");
        var proposal = await b.ProposalAsync(b.AnchorCircleId, person, Change.CreateRole("Secret Proposal"));
        var objection = (await (await b.ProposalStepAsync(proposal, "objections", new { objectorId = person, reason = "Secret reason" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = (await (await bob.PostAsJsonAsync($"{b.Base}/api-keys", new { name = "Secret key", scopes = new[] { "registry:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return new()
        {
            ["orgId"] = b.OrgId.ToString(),
            ["circleId"] = circle.ToString(),
            ["roleId"] = role.ToString(),
            ["personId"] = person.ToString(),
            ["proposalId"] = proposal.ToString(),
            ["objectionId"] = objection,
            ["keyId"] = key,
            ["key"] = "secret%2Fplans",
        };
    }

    private static string Fill(string path, Dictionary<string, string> ids) =>
        ids.Aggregate(path, (p, id) => p.Replace($"{{{id.Key}}}", id.Value, StringComparison.Ordinal));

    private static HttpRequestMessage Request(HttpMethod method, string path, AuthenticationHeaderValue? credential) => new(method, path)
    {
        Headers = { Authorization = credential },
        Content = method == HttpMethod.Get || method == HttpMethod.Delete ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task A_credential_of_another_organisation_meets_a_404_on_every_route()
    {
        var routes = (await RoutesAsync()).Where(r => r.Path.Contains("{orgId}", StringComparison.Ordinal)).ToList();
        var alice = app.ClientFor("alice@a.test", "Alice");
        var a = await Scenario.FoundAsync(alice, "Alice's Company");
        var aliceKey = (await (await alice.PostAsJsonAsync($"{a.Base}/api-keys", new { name = "A's tool", scopes = new[] { "registry:read", "audit:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var ids = await OrganisationBAsync();
        var credentials = new[]
        {
            new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor("alice@a.test", "Alice")),
            new AuthenticationHeaderValue("ApiKey", aliceKey),
        };

        var leaks = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var credential in credentials)
            {
                var response = await app.ClientWith(null).SendAsync(Request(method, Fill(path, ids), credential));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.NotFound || !text.Contains("organisation-not-found", StringComparison.Ordinal) || text.Contains("Secret", StringComparison.Ordinal))
                {
                    leaks.Add($"{method} {path} with {credential.Scheme}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                }
            }
        }

        routes.Should().HaveCountGreaterThanOrEqualTo(30, "every route under an organisation is in the document");
        leaks.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_route_needs_credentials()
    {
        var routes = await RoutesAsync();
        var ids = new Dictionary<string, string>
        {
            ["orgId"] = Guid.NewGuid().ToString(),
            ["circleId"] = Guid.NewGuid().ToString(),
            ["roleId"] = Guid.NewGuid().ToString(),
            ["personId"] = Guid.NewGuid().ToString(),
            ["proposalId"] = Guid.NewGuid().ToString(),
            ["objectionId"] = Guid.NewGuid().ToString(),
            ["keyId"] = Guid.NewGuid().ToString(),
            ["key"] = "a",
        };

        var open = new List<string>();
        foreach (var (method, path) in routes)
        {
            var response = await WithoutCredentialsAsync(method, Fill(path, ids));
            if (response.StatusCode != HttpStatusCode.Unauthorized) open.Add($"{method} {path}: {(int)response.StatusCode}");
        }

        open.Should().BeEmpty();
    }

    /// <summary>
    /// Sends a request without credentials; over the small allowance such clients share (20 a second, bursts of 40:
    /// fewer than the routes) it is sent again when the 429 says, since the route's own answer is what is tested.
    /// </summary>
    private async Task<HttpResponseMessage> WithoutCredentialsAsync(HttpMethod method, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await app.ClientWith(null).SendAsync(Request(method, path, null));
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 10) return response;
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }
}
