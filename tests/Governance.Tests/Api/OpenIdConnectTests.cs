using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>
/// A real install's path: tokens of an OpenID Connect provider, validated through its discovery
/// document and JWKS. Another instance of the service on the test database is configured with
/// the provider as its authority.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenIdConnectTests(GovernanceApp app)
{
    private const string Audience = "governance-tests";

    [Fact]
    public async Task A_token_of_the_configured_authority_is_accepted_and_others_are_not()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>
        {
            ["Governance__Auth__Authority"] = provider.Authority,
            // An instance takes one kind of token: the suite's local key is not this one's.
            ["Governance__Auth__SigningKey"] = "",
            ["Governance__Auth__Audience"] = Audience,
        });
        var client = instance.CreateClient();
        var asOla = new AuthenticationHeaderValue("Bearer", provider.TokenFor("idp|ola", "ola@example.org", "Ola", Audience));

        var founded = await Send(client, HttpMethod.Post, "/api/orgs", asOla, new { name = "Federated" });
        founded.StatusCode.Should().Be(HttpStatusCode.Created, await founded.Content.ReadAsStringAsync());
        var org = (await founded.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        (await Send(client, HttpMethod.Get, $"/api/orgs/{org}/events", asOla)).StatusCode.Should().Be(HttpStatusCode.OK, "the founder is its admin");

        var otherAudience = new AuthenticationHeaderValue("Bearer", provider.TokenFor("idp|ola", "ola@example.org", "Ola", "someone-else"));
        var locallySigned = new AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor("ola@example.org", "Ola", "idp|ola"));
        (await Send(client, HttpMethod.Get, $"/api/orgs/{org}", otherAudience)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Send(client, HttpMethod.Get, $"/api/orgs/{org}", locallySigned)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, AuthenticationHeaderValue credential, object? body = null) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Headers = { Authorization = credential }, Content = body is null ? null : JsonContent.Create(body) });
}
