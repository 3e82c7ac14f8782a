using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(GovernanceApp app)
{
    private Task<HttpResponseMessage> PostAsync(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return app.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_retried_governance_change_returns_the_first_answer_and_writes_once()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var body = new { changes = new[] { Change.CreateRole("Once", domains: ["once"]) } };
        var path = $"{org.Base}/circles/{org.AnchorCircleId}/governance";

        var first = await PostAsync(path, body, "key-1");
        var retry = await PostAsync(path, body, "key-1");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        retry.Headers.ETag.Should().Be(first.Headers.ETag);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(1);
        (await org.GetAsync("roles?q=Once")).GetProperty("items").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_retried_creation_returns_the_same_resource()
    {
        var first = await PostAsync("/api/orgs", new { name = "Retry Co" }, "found-retry-co");
        var retry = await PostAsync("/api/orgs", new { name = "Retry Co" }, "found-retry-co");

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        var org = await first.Content.ReadFromJsonAsync<JsonElement>();
        var scenario = new Scenario(app.Client, org.GetProperty("id").GetGuid(), org.GetProperty("anchorCircleId").GetGuid());

        var person = await PostAsync($"{scenario.Base}/people", new { name = "Ana", email = "ana@retry.test" }, "ana");
        var personAgain = await PostAsync($"{scenario.Base}/people", new { name = "Ana", email = "ana@retry.test" }, "ana");
        personAgain.StatusCode.Should().Be(HttpStatusCode.Created);
        (await personAgain.Content.ReadAsStringAsync()).Should().Be(await person.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_key_reused_for_another_request_is_refused()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var path = $"{org.Base}/circles/{org.AnchorCircleId}/governance";
        await PostAsync(path, new { changes = new[] { Change.CreateRole("First") } }, "same-key");

        var other = await PostAsync(path, new { changes = new[] { Change.CreateRole("Second") } }, "same-key");

        await other.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        (await org.GetAsync("roles?q=Second")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Keys_belong_to_one_organisation()
    {
        var a = await Scenario.FoundAsync(app.Client);
        var b = await Scenario.FoundAsync(app.Client);

        (await PostAsync($"{a.Base}/circles/{a.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("R") } }, "shared")).StatusCode.Should().Be(HttpStatusCode.OK);
        var inB = await PostAsync($"{b.Base}/circles/{b.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("R") } }, "shared");

        inB.StatusCode.Should().Be(HttpStatusCode.OK);
        inB.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        (await b.GetAsync("roles?q=R")).GetProperty("items").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_refused_request_is_not_remembered_so_the_corrected_retry_runs()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var path = $"{org.Base}/people";

        await (await PostAsync(path, new { name = "Ana", email = "not-an-email" }, "fix-me")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await PostAsync(path, new { name = "Ana", email = "not-an-email" }, "fix-me")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Simultaneous_requests_with_one_key_write_once()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var body = new { changes = new[] { Change.CreateRole("Racer") } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            PostAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", body, "race")));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        (await org.GetAsync("roles?q=Racer")).GetProperty("items").GetArrayLength().Should().Be(1);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(1);
        var retry = await PostAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", body, "race");
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.Headers.Contains("Idempotent-Replayed").Should().BeTrue();
    }

    [Fact]
    public async Task Simultaneous_submissions_with_one_key_create_one_proposal()
    {
        // Nothing but the key stops duplicate proposals, so this race tests the key alone.
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var body = new { proposerId = ana, tension = "Twice?", changes = new[] { Change.CreateRole("X") } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            PostAsync($"{org.Base}/circles/{org.AnchorCircleId}/proposals", body, "submit-once")));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        var ids = new HashSet<Guid>();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        ids.Should().ContainSingle();
    }

    [Fact]
    public async Task A_malformed_key_is_a_400_problem()
    {
        var response = await PostAsync("/api/orgs", new { name = "X" }, new string('k', 300));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
