using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace Governance.Tests.Support;

/// <summary>
/// A test's own organisation, driven through the HTTP API only: found it, add people, adopt
/// governance, assign, ask. Keeps JSON shapes in one place so tests read as scenarios.
/// </summary>
public sealed class Scenario(HttpClient client, Guid orgId, Guid anchorCircleId)
{
    public HttpClient Client { get; } = client;
    public Guid OrgId { get; } = orgId;
    public Guid AnchorCircleId { get; } = anchorCircleId;
    public string Base => $"/api/orgs/{OrgId}";

    /// <summary>The same organisation, driven by another client (another person's token, a key, none).</summary>
    public Scenario As(HttpClient client) => new(client, OrgId, AnchorCircleId);

    public static async Task<Scenario> FoundAsync(HttpClient client, string name = "Acme")
    {
        var response = await client.PostAsJsonAsync("/api/orgs", new { name });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Scenario(client, body.GetProperty("id").GetGuid(), body.GetProperty("anchorCircleId").GetGuid());
    }

    /// <summary>The e-mail <see cref="PersonAsync"/> gives a person unless told otherwise (their token's e-mail).</summary>
    public static string EmailOf(string name) => $"{name.Replace(' ', '.').ToLowerInvariant()}@example.org";

    /// <summary>Adds a person, with an <c>Idempotency-Key</c> when given one: the answer as it comes, for tests of the answer itself.</summary>
    public Task<HttpResponseMessage> JoinAsync(string name, string? email = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/people") { Content = JsonContent.Create(new { name, email = email ?? EmailOf(name) }) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return Client.SendAsync(request);
    }

    public async Task<Guid> PersonAsync(string name, string? email = null)
    {
        var response = await Client.PostAsJsonAsync($"{Base}/people", new { name, email = email ?? EmailOf(name) });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> GovernAsync(Guid circleId, params object[] changes) =>
        Client.PostAsJsonAsync($"{Base}/circles/{circleId}/governance", new { changes });

    /// <summary>Adopts changes that must succeed and returns the role id of each result.</summary>
    public async Task<IReadOnlyList<Guid>> AdoptAsync(Guid circleId, params object[] changes)
    {
        var response = await GovernAsync(circleId, changes);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("results").EnumerateArray().Select(r =>
            (r.TryGetProperty("policyId", out var policy) ? policy : r.GetProperty("roleId")).GetGuid())];
    }

    public async Task<Guid> RoleAsync(Guid circleId, string name, params string[] domainKeys) =>
        (await AdoptAsync(circleId, Change.CreateRole(name, domains: domainKeys)))[0];

    public async Task<Guid> CircleAsync(Guid circleId, string name, params string[] domainKeys) =>
        (await AdoptAsync(circleId, Change.CreateRole(name, domains: domainKeys, isCircle: true)))[0];

    public async Task AssignAsync(Guid roleId, Guid personId, string? focus = null)
    {
        var response = await Client.PostAsJsonAsync($"{Base}/roles/{roleId}/assignments", new { personId, focus });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(path.StartsWith('/') ? path : $"{Base}/{path}");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A person who fills a role in the circle, and so is one of its Circle Members (§5.1).</summary>
    public async Task<Guid> MemberAsync(Guid circleId, string name)
    {
        var person = await PersonAsync(name);
        await AssignAsync(await RoleAsync(circleId, $"{name}'s Role"), person);
        return person;
    }

    public Task<HttpResponseMessage> ProposeAsync(Guid circleId, Guid proposerId, params object[] changes) =>
        Client.PostAsJsonAsync($"{Base}/circles/{circleId}/proposals", new { proposerId, tension = "Something is missing", changes });

    public async Task<Guid> ProposalAsync(Guid circleId, Guid proposerId, params object[] changes)
    {
        var response = await ProposeAsync(circleId, proposerId, changes);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A proposal its Circle Members answer asynchronously by <paramref name="respondBy"/>.</summary>
    public Task<HttpResponseMessage> ProposeAsync(Guid circleId, Guid proposerId, DateTimeOffset respondBy, params object[] changes) =>
        Client.PostAsJsonAsync($"{Base}/circles/{circleId}/proposals", new { proposerId, tension = "Something is missing", changes, respondBy });

    public async Task<Guid> ProposalAsync(Guid circleId, Guid proposerId, DateTimeOffset respondBy, params object[] changes)
    {
        var response = await ProposeAsync(circleId, proposerId, respondBy, changes);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A Circle Member's answer to a proposal (noObjection, objection, bringToMeeting).</summary>
    public Task<HttpResponseMessage> RespondAsync(Guid proposalId, Guid responderId, string response, string? reason = null) =>
        ProposalStepAsync(proposalId, "responses", new { responderId, response, reason });

    public Task<HttpResponseMessage> ProposalStepAsync(Guid proposalId, string step, object? body = null) =>
        Client.PostAsJsonAsync($"{Base}/proposals/{proposalId}/{step}", body ?? new { });

    public Task<JsonElement> WhoDecidesAsync(string key, string extra = "") =>
        GetAsync($"decision-makers?domain={Uri.EscapeDataString(key)}{extra}");
}

/// <summary>Builders for the <c>changes</c> of a governance request, one per op.</summary>
public static class Change
{
    public static object CreateRole(string name, string purpose = "", string[]? accountabilities = null, string[]? domains = null, bool isCircle = false) =>
        new { op = "createRole", name, purpose, accountabilities = accountabilities ?? [], domains = (domains ?? []).Select(Domain).ToArray(), isCircle };

    public static object Domain(string key) => new { key, title = Title(key) };

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static object UpdateRole(Guid roleId, string? name = null, string? purpose = null) =>
        JsonNode.Parse(JsonSerializer.Serialize(new { op = "updateRole", roleId, name, purpose }, WithoutNulls))!;

    public static object AddAccountability(Guid roleId, string text) => new { op = "addAccountability", roleId, text };

    public static object RemoveAccountability(Guid roleId, string text) => new { op = "removeAccountability", roleId, text };

    public static object AddDomain(Guid roleId, string key, params string[] keywords) =>
        new { op = "addDomain", roleId, domain = new { key, title = Title(key), keywords } };

    public static object RemoveDomain(Guid roleId, string key) => new { op = "removeDomain", roleId, key };

    public static object ConvertToCircle(Guid roleId) => new { op = "convertToCircle", roleId };

    public static object RemoveRole(Guid roleId) => new { op = "removeRole", roleId };

    public static object RemoveRole(Guid roleId, string innerRoles) => new { op = "removeRole", roleId, innerRoles };

    public static object MoveRole(Guid roleId, Guid toCircleId) => new { op = "moveRole", roleId, toCircleId };

    public static object MoveRole(Guid roleId, Guid toCircleId, params Guid[] policies) => new { op = "moveRole", roleId, toCircleId, policies };

    public static object ConvertToRole(Guid roleId, string? innerRoles = null) => new { op = "convertToRole", roleId, innerRoles };

    public static object Grant(Guid roleId, decimal? maxAmount = null, string? currency = null) => new { roleId, maxAmount, currency };

    public static object Policy(string title, string? domainKey = null, params object[] grants) =>
        new { title, text = $"{title}: as agreed in governance.", domainKey, grants };

    public static object AddPolicy(object policy) => new { op = "addPolicy", policy };

    public static object AmendPolicy(Guid policyId, object policy) => new { op = "amendPolicy", policyId, policy };

    public static object RemovePolicy(Guid policyId) => new { op = "removePolicy", policyId };

    private static string Title(string key) => key.Split('/')[^1].Replace('-', ' ');
}

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 problem with the status and, for a rule violation, the constitution citation.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? rule = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        body.GetProperty("status").GetInt32().Should().Be((int)status);
        body.GetProperty("type").GetString().Should().NotBeNullOrEmpty();
        body.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        body.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        if (rule is not null)
        {
            body.GetProperty("rule").GetString().Should().Be(rule);
        }
        return body;
    }
}
