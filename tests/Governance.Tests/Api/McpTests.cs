using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Governance.Tests.Api;

/// <summary>The MCP server for AI support agents, driven by the SDK's own client over the test server.</summary>
[Collection(ApiCollection.Name)]
public sealed class McpTests(GovernanceApp app)
{
    /// <summary>Acme: Customer Service holds "customer-service", its Refunds Agent "customer-service/refunds" (filled by Ana).</summary>
    private async Task<(Scenario Org, Guid Refunds, Guid Ana)> AcmeAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var refunds = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(refunds, ana, "EU");
        return (org, refunds, ana);
    }

    /// <summary>An API key of the organisation, as a support desk's assistant would use.</summary>
    private async Task<HttpClient> KeyClientAsync(Scenario org, params string[] scopes)
    {
        var created = await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Assistant", scopes });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        return app.ClientWith(new AuthenticationHeaderValue("ApiKey", key));
    }

    private static Task<McpClient> ConnectAsync(HttpClient client, Guid orgId) =>
        McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(client.BaseAddress!, $"/api/orgs/{orgId}/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            client, loggerFactory: null, ownsHttpClient: false));

    private static async Task<JsonElement> CallAsync(McpClient mcp, string tool, Dictionary<string, object?> arguments, bool isError = false)
    {
        var result = await mcp.CallToolAsync(tool, arguments);
        (result.IsError ?? false).Should().Be(isError, result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        var text = result.Content.OfType<TextContentBlock>().Should().ContainSingle().Subject.Text;
        if (isError) return JsonSerializer.SerializeToElement(text);
        // The text is the JSON body; the structured content is the same.
        var body = JsonDocument.Parse(text).RootElement.Clone();
        JsonSerializer.Serialize(result.StructuredContent).Should().Be(JsonSerializer.Serialize(body));
        return body;
    }

    /// <summary>The fields of a who-decides answer that do not depend on the moment it was asked.</summary>
    private static string Decision(JsonElement answer) => string.Join('\n',
        new[] { "status", "domain", "role", "decisionMakers", "candidates", "policies", "chain", "sequence" }.Select(p => answer.GetProperty(p).GetRawText()));

    [Fact]
    public async Task An_assistant_lists_the_three_tools_with_their_arguments()
    {
        var (org, _, _) = await AcmeAsync();
        await using var mcp = await ConnectAsync(await KeyClientAsync(org, "registry:read"), org.OrgId);

        var tools = await mcp.ListToolsAsync();

        tools.Select(t => t.Name).Should().BeEquivalentTo("who_decides", "get_role", "person_decisions");
        var whoDecides = tools.Single(t => t.Name == "who_decides").ProtocolTool.InputSchema;
        whoDecides.GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("question", "domain", "amount", "currency", "asOf");
        tools.Single(t => t.Name == "get_role").ProtocolTool.InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Equal("roleId");
    }

    [Fact]
    public async Task Who_decides_by_domain_key_answers_as_the_rest_route_does()
    {
        var (org, refunds, ana) = await AcmeAsync();
        await using var mcp = await ConnectAsync(await KeyClientAsync(org, "registry:read"), org.OrgId);

        var answer = await CallAsync(mcp, "who_decides", new() { ["domain"] = "customer-service/refunds/eu" });
        var rest = await org.WhoDecidesAsync("customer-service/refunds/eu");

        Decision(answer).Should().Be(Decision(rest));
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        answer.GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        answer.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("rule").GetString()).Should().Equal("EnclosingDomainMatched", "DomainHeld", "RoleFiller");
    }

    [Fact]
    public async Task Who_decides_in_free_text_and_with_an_amount()
    {
        var (org, refunds, _) = await AcmeAsync();
        await using var mcp = await ConnectAsync(app.Client, org.OrgId);

        var answer = await CallAsync(mcp, "who_decides", new() { ["question"] = "refunds", ["amount"] = 600m, ["currency"] = "eur" });

        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(refunds);
        answer.GetProperty("chain")[0].GetProperty("rule").GetString().Should().Be("FreeTextMatched");
        Decision(answer).Should().Be(Decision(await org.GetAsync("decision-makers?q=refunds&amount=600&currency=eur")));
    }

    [Fact]
    public async Task Who_decides_as_of_an_instant_names_who_filled_the_role_then()
    {
        var (org, refunds, ana) = await AcmeAsync();
        await Task.Delay(20);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        (await app.Client.DeleteAsync($"{org.Base}/roles/{refunds}/assignments/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var bo = await org.PersonAsync("Bo");
        await org.AssignAsync(refunds, bo);
        await using var mcp = await ConnectAsync(app.Client, org.OrgId);

        var then = await CallAsync(mcp, "who_decides", new() { ["domain"] = "customer-service/refunds", ["asOf"] = before.ToString("O") });
        var now = await CallAsync(mcp, "who_decides", new() { ["domain"] = "customer-service/refunds" });

        then.GetProperty("decisionMakers").EnumerateArray().Select(m => m.GetProperty("personId").GetGuid()).Should().Equal(ana);
        now.GetProperty("decisionMakers").EnumerateArray().Select(m => m.GetProperty("personId").GetGuid()).Should().Equal(bo);
        (await CallAsync(mcp, "who_decides", new() { ["domain"] = "customer-service/refunds", ["asOf"] = "last tuesday" }, isError: true))
            .GetString().Should().Contain("last tuesday");
        (await CallAsync(mcp, "who_decides", new() { ["question"] = "refunds", ["asOf"] = before.ToString("O") }, isError: true))
            .GetString().Should().Contain("current state only");
    }

    [Fact]
    public async Task Get_role_and_person_decisions_answer_the_rest_bodies_and_unknown_ids_are_tool_errors()
    {
        var (org, refunds, ana) = await AcmeAsync();
        await using var mcp = await ConnectAsync(await KeyClientAsync(org, "registry:read"), org.OrgId);

        (await CallAsync(mcp, "get_role", new() { ["roleId"] = refunds.ToString() })).GetRawText()
            .Should().Be((await org.GetAsync($"roles/{refunds}")).GetRawText());
        (await CallAsync(mcp, "person_decisions", new() { ["personId"] = ana.ToString() })).GetRawText()
            .Should().Be((await org.GetAsync($"people/{ana}/decisions")).GetRawText());

        var unknown = Guid.NewGuid();
        (await CallAsync(mcp, "get_role", new() { ["roleId"] = unknown.ToString() }, isError: true)).GetString()
            .Should().Be($"The organisation has no role {unknown}.");
        (await CallAsync(mcp, "person_decisions", new() { ["personId"] = "ana" }, isError: true)).GetString().Should().Contain("not an id");
        (await CallAsync(mcp, "get_role", new() { ["roleId"] = refunds.ToString(), ["asOf"] = "not-a-time" }, isError: true)).GetString()
            .Should().Contain("not-a-time");
    }

    /// <summary>A raw MCP initialize request: refusals happen before the MCP server, as on every REST route.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> InitializeAsync(HttpClient client, Guid orgId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orgs/{orgId}/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string WithoutIds(string problem, Guid orgId)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(problem.Replace(orgId.ToString(), "{orgId}", StringComparison.Ordinal))!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    [Fact]
    public async Task Without_the_right_credential_the_mcp_route_is_refused_as_the_rest_routes_are()
    {
        var (org, _, _) = await AcmeAsync();
        var other = await Scenario.FoundAsync(app.Client, "Globex");
        var ana = app.ClientOf("Ana");
        (await InitializeAsync(ana, org.OrgId)).Status.Should().Be(HttpStatusCode.OK, "every person of the organisation reads its registry");

        // Another organisation's id and an unknown one: the same 404, so nothing tells them apart.
        var elsewhere = await InitializeAsync(ana, other.OrgId);
        var unknownOrg = Guid.NewGuid();
        var nowhere = await InitializeAsync(ana, unknownOrg);
        elsewhere.Status.Should().Be(HttpStatusCode.NotFound);
        nowhere.Status.Should().Be(HttpStatusCode.NotFound);
        WithoutIds(elsewhere.Body, other.OrgId).Should().Be(WithoutIds(nowhere.Body, unknownOrg));
        // A stranger (a valid token of nobody in the organisation) and a key of another organisation too.
        (await InitializeAsync(app.ClientFor("stranger@example.org", "Stranger"), org.OrgId)).Status.Should().Be(HttpStatusCode.NotFound);
        (await InitializeAsync(await KeyClientAsync(other, "registry:read"), org.OrgId)).Status.Should().Be(HttpStatusCode.NotFound);

        var auditor = await InitializeAsync(await KeyClientAsync(org, "audit:read"), org.OrgId);
        auditor.Status.Should().Be(HttpStatusCode.Forbidden);
        auditor.Body.Should().Contain("scope-missing");
        (await InitializeAsync(app.ClientWith(null), org.OrgId)).Status.Should().Be(HttpStatusCode.Unauthorized);

        // The SDK's client meets the same refusal.
        var connecting = () => ConnectAsync(app.ClientFor("stranger@example.org", "Stranger"), org.OrgId);
        (await connecting.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
