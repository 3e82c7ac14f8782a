using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using Governance.Webhooks;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;
using StandardWebhooks;

namespace Governance.Tests.Webhooks;

/// <summary>
/// Webhooks (issue 16, item 2): a support desk subscribes, the service delivers signed CloudEvents
/// through its outbox, retries with backoff, shows failures and sends them again on request.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTests(GovernanceApp app)
{
    private static async Task<(Guid Id, string Secret)> SubscribeAsync(Scenario org, string url, string[] events, Guid? circleId = null)
    {
        var response = await org.Client.PostAsJsonAsync($"{org.Base}/webhooks", new { url, events, circleId });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private static JsonElement Json(WebhookReceiver.Request request) => JsonDocument.Parse(request.Body).RootElement;

    private static async Task<JsonSchema> SchemaAsync(string relative) =>
        await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", relative));

    [Fact]
    public async Task A_desk_hears_who_decides_changed_in_signed_cloud_events()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        var (webhook, secret) = await SubscribeAsync(org, desk.Url, [WebhookTypes.DecisionRightsChanged, WebhookTypes.RoleFilled]);
        var ana = await org.PersonAsync("Ana");

        var agent = await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        await org.AssignAsync(agent, ana, "EU");
        (await org.Client.DeleteAsync($"{org.Base}/roles/{agent}/assignments/{ana}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await org.AssignAsync(agent, ana, "EU");

        var received = await desk.AcceptedAsync(3);
        received.Should().HaveCount(3);
        (await org.GetAsync($"webhooks/{webhook}/deliveries")).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("type").GetString())
            .Should().NotContain(WebhookTypes.RoleUnfilled, "role.unfilled is an event subscribers may choose; this one did not");
        var events = received.Select(Json).ToList();
        events.Select(e => e.GetProperty("type").GetString()).Should().BeEquivalentTo([WebhookTypes.DecisionRightsChanged, WebhookTypes.RoleFilled, WebhookTypes.RoleFilled]);
        var rights = events.Single(e => e.GetProperty("type").GetString() == WebhookTypes.DecisionRightsChanged);
        rights.GetProperty("specversion").GetString().Should().Be("1.0");
        rights.GetProperty("source").GetString().Should().Be($"/api/orgs/{org.OrgId}");
        rights.GetProperty("subject").GetString().Should().Be($"roles/{agent}");
        rights.GetProperty("data").GetProperty("roleId").GetGuid().Should().Be(agent);
        rights.GetProperty("data").GetProperty("domainKeys").EnumerateArray().Select(k => k.GetString()).Should().Equal("refunds");
        var filled = events.First(e => e.GetProperty("type").GetString() == WebhookTypes.RoleFilled).GetProperty("data");
        filled.GetProperty("personId").GetGuid().Should().Be(ana);
        filled.GetProperty("focus").GetString().Should().Be("EU");
        var cloudEvent = await SchemaAsync("webhooks/CloudEvent.json");
        foreach (var request in received)
        {
            cloudEvent.Validate(request.Body).Should().BeEmpty("the body is what schemas/webhooks/CloudEvent.json describes");
            request.Headers["Content-Type"].ToString().Should().StartWith("application/cloudevents+json");
            var verify = () => new StandardWebhook(secret).Verify(request.Body, request.Headers);
            verify.Should().NotThrow("each delivery is signed with the subscription's secret");
        }
        var tampered = () => new StandardWebhook(secret).Verify(received[0].Body.Replace("\"specversion\":\"1.0\"", "\"specversion\":\"9.9\""), received[0].Headers);
        received[0].Body.Should().Contain("\"specversion\":\"1.0\"");
        tampered.Should().Throw<Exception>("a body changed on the way no longer matches its signature");

        var scrape = await app.Client.GetStringAsync("/metrics");
        scrape.Split('\n').Where(line => line.StartsWith("http_client_", StringComparison.Ordinal) || line.StartsWith("dns_", StringComparison.Ordinal)).Should()
            .NotContain(line => line.Contains("server_address") || line.Contains("dns_question_name"), "a desk's host would tell whose desk it is");
        scrape.Split('\n').Should().Contain(line => line.StartsWith("http_client_request_duration_seconds_count{", StringComparison.Ordinal), "outgoing requests are still measured");
        var page = await org.GetAsync($"webhooks/{webhook}/deliveries?status=delivered");
        (await SchemaAsync("api/DeliveryPage.json")).Validate(page.GetRawText()).Should().BeEmpty();
        var deliveries = page.GetProperty("items");
        deliveries.GetArrayLength().Should().Be(3);
        deliveries.EnumerateArray().Select(d => d.GetProperty("id").GetGuid().ToString())
            .Should().BeEquivalentTo(received.Select(r => r.Headers["webhook-id"].ToString()));
    }

    [Fact]
    public async Task A_failing_desk_is_retried_with_backoff_then_failed_visibly_and_sent_again_on_request()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        var (webhook, _) = await SubscribeAsync(org, desk.Url, [WebhookTypes.RoleFilled]);
        desk.Failing = 100;
        await org.AssignAsync(await org.RoleAsync(org.AnchorCircleId, "Agent"), await org.PersonAsync("Ana"));

        JsonElement failed = default;
        for (var i = 0; i < 300 && (failed = (await org.GetAsync($"webhooks/{webhook}/deliveries?status=failed")).GetProperty("items")).GetArrayLength() == 0; i++) await Task.Delay(100);
        var delivery = failed.EnumerateArray().Should().ContainSingle().Subject;
        delivery.GetProperty("attempts").GetInt32().Should().Be(3, "the test host allows three attempts (Governance__Webhooks__MaxAttempts)");
        delivery.GetProperty("lastStatusCode").GetInt32().Should().Be(500);
        desk.Received.Should().HaveCount(3);
        desk.Received.Select(r => r.Headers["webhook-id"].ToString()).Distinct().Should().ContainSingle("every attempt is the same message");
        (await app.Client.GetStringAsync("/metrics")).Split('\n').Should().Contain(line => line.StartsWith("governance_webhooks_failures_total{", StringComparison.Ordinal) && line.Contains("final=\"true\""),
            "operators see deliveries that gave up");

        desk.Failing = 0;
        var id = delivery.GetProperty("id").GetGuid();
        var retried = await org.Client.PostAsync($"{org.Base}/webhooks/{webhook}/deliveries/{id}/retry", null);
        retried.StatusCode.Should().Be(HttpStatusCode.Accepted, await retried.Content.ReadAsStringAsync());
        (await desk.AcceptedAsync(1)).Should().ContainSingle().Which.Headers["webhook-id"].ToString().Should().Be(id.ToString());
        (await org.GetAsync($"webhooks/{webhook}/deliveries?status=delivered")).GetProperty("items").GetArrayLength().Should().Be(1);
        await (await org.Client.PostAsync($"{org.Base}/webhooks/{webhook}/deliveries/{id}/retry", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_subscription_to_a_circle_hears_of_everything_inside_it_and_nothing_outside()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        var support = await org.CircleAsync(org.AnchorCircleId, "Support", "support");
        var tier2 = await org.CircleAsync(support, "Tier 2", "support/escalations");
        var sales = await org.CircleAsync(org.AnchorCircleId, "Sales", "sales");
        await SubscribeAsync(org, desk.Url, [WebhookTypes.DecisionRightsChanged, WebhookTypes.RoleRemoved], support);

        await org.RoleAsync(sales, "Closer", "sales/deals");
        var escalator = await org.RoleAsync(tier2, "Escalator", "support/escalations/urgent");
        await org.AdoptAsync(tier2, Change.RemoveRole(escalator));

        var router = await org.RoleAsync(support, "Router");
        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(router, org.AnchorCircleId));

        var received = (await desk.AcceptedAsync(3)).Select(Json).ToList();
        received.Select(e => (e.GetProperty("type").GetString(), e.GetProperty("subject").GetString())).Should().BeEquivalentTo(
            [(WebhookTypes.DecisionRightsChanged, $"roles/{escalator}"), (WebhookTypes.RoleRemoved, $"roles/{escalator}"), (WebhookTypes.DecisionRightsChanged, $"roles/{router}")],
            "the removed role is found in its circle as it stood before the removal, a role moved out of Support concerns Support, and Sales is outside it");
    }

    [Fact]
    public async Task A_subscription_hears_of_what_is_committed_after_it_and_not_of_what_came_before()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        var before = await org.RoleAsync(org.AnchorCircleId, "Early Agent", "early");
        var (webhook, _) = await SubscribeAsync(org, desk.Url, [WebhookTypes.DecisionRightsChanged]);
        var after = await org.RoleAsync(org.AnchorCircleId, "Later Agent", "later");

        (await desk.AcceptedAsync(1)).Should().ContainSingle();
        // Events are read in order and a page's deliveries are stored together: the earlier event is judged by now.
        var stored = (await org.GetAsync($"webhooks/{webhook}/deliveries")).GetProperty("items").EnumerateArray().ToList();
        stored.Should().ContainSingle("the domain given before the subscription is not announced");
        Json(desk.Accepted[0]).GetProperty("subject").GetString().Should().Be($"roles/{after}").And.NotBe($"roles/{before}");
        var time = Json(desk.Accepted[0]).GetProperty("time").GetDateTimeOffset();
        var recorded = (await org.GetAsync($"roles/{after}/history")).EnumerateArray()
            .Single(e => e.GetProperty("type").GetString()!.Contains("delegated", StringComparison.OrdinalIgnoreCase)).GetProperty("timestamp").GetDateTimeOffset();
        time.Should().Be(recorded, "the CloudEvent's time is when its event was recorded");
    }

    [Fact]
    public async Task What_commits_while_no_instance_reads_the_events_is_heard_once_one_does_again()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        await SubscribeAsync(org, desk.Url, [WebhookTypes.DecisionRightsChanged]);

        // As across a restart or a fail-over: the event store's reader stops, a write commits, a reader starts again.
        var daemon = app.Services.GetRequiredService<IProjectionCoordinator>();
        await daemon.PauseAsync();
        Guid role;
        try
        {
            role = await org.RoleAsync(org.AnchorCircleId, "Night Agent", "night");
        }
        finally
        {
            await daemon.ResumeAsync();
        }

        var received = await desk.AcceptedAsync(1);
        received.Should().ContainSingle("the reader goes on from where it stopped, not from the newest event");
        Json(received[0]).GetProperty("subject").GetString().Should().Be($"roles/{role}");
    }

    [Fact]
    public async Task A_notice_an_earlier_version_stored_in_the_outbox_is_still_delivered()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Archivist");
        await SubscribeAsync(org, desk.Url, [WebhookTypes.RoleRemoved]);

        // As the outbox of a version before notices were read from the store stored one: no sequence, no time.
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>()
                .PublishAsync(new WebhookNotice(Guid.NewGuid(), role, WebhookTypes.RoleRemoved, RoleId: role));
        }

        var received = await desk.AcceptedAsync(1);
        received.Should().ContainSingle();
        Json(received[0]).GetProperty("subject").GetString().Should().Be($"roles/{role}");
    }

    [Fact]
    public async Task Each_event_is_delivered_once_to_each_subscription()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        var org = await Scenario.FoundAsync(app.Client);
        await SubscribeAsync(org, desk.Url, [WebhookTypes.RoleFilled]);
        await SubscribeAsync(org, other.Url, [WebhookTypes.RoleFilled]);
        var role = await org.RoleAsync(org.AnchorCircleId, "Agent");
        var people = new List<Guid>();
        for (var i = 0; i < 20; i++) people.Add(await org.PersonAsync($"Agent {i}"));

        await Task.WhenAll(people.Select(p => org.AssignAsync(role, p)));

        (await desk.AcceptedAsync(20)).Should().HaveCount(20);
        (await other.AcceptedAsync(20)).Should().HaveCount(20);
        var stored = await org.GetAsync($"webhooks/{(await org.GetAsync("webhooks"))[0].GetProperty("id").GetGuid()}/deliveries");
        stored.GetProperty("items").GetArrayLength().Should().Be(20, "deliveries stored = events appended");
        desk.Received.Select(r => Json(r).GetProperty("data").GetProperty("personId").GetGuid()).Should().BeEquivalentTo(people, "one delivery per assignment, none twice");
        desk.Received.Select(r => Json(r).GetProperty("id").GetString()).Should().BeEquivalentTo(other.Received.Select(r => Json(r).GetProperty("id").GetString()),
            "the same event has the same CloudEvent id at every subscriber");
    }

    [Fact]
    public async Task Writes_through_two_instances_are_each_delivered_once()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        await using var instance = AnotherInstance.Start(app, new Dictionary<string, string>());
        using var otherClient = instance.CreateClient();
        otherClient.DefaultRequestHeaders.Authorization = new("Bearer", GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester"));
        var org = await Scenario.FoundAsync(app.Client);
        var other = org.As(otherClient);
        await SubscribeAsync(org, desk.Url, [WebhookTypes.RoleFilled]);
        var role = await org.RoleAsync(org.AnchorCircleId, "Agent");
        var people = new List<Guid>();
        for (var i = 0; i < 20; i++) people.Add(await org.PersonAsync($"Fleet Agent {i}"));

        await Task.WhenAll(people.Select((p, i) => (i % 2 == 0 ? org : other).AssignAsync(role, p)));

        (await desk.AcceptedAsync(20)).Select(r => Json(r).GetProperty("data").GetProperty("personId").GetGuid())
            .Should().BeEquivalentTo(people, "each instance forwards the events it committed, once");
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_and_other_organisations_see_nothing()
    {
        var org = await Scenario.FoundAsync(app.Client);
        async Task<HttpResponseMessage> Post(object body) => await org.Client.PostAsJsonAsync($"{org.Base}/webhooks", body);
        await (await Post(new { url = "ftp://desk.example.org/hook", events = new[] { WebhookTypes.RoleFilled } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(new { url = "https://desk.example.org/hook", events = new[] { "governance.everything" } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(new { url = "https://desk.example.org/hook", events = Array.Empty<string>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(new { url = "https://desk.example.org/hook", events = new[] { WebhookTypes.RoleFilled }, secret = "whsec_c2hvcnQ=" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await Post(new { url = "https://desk.example.org/hook", events = new[] { WebhookTypes.RoleFilled }, circleId = Guid.NewGuid() })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var request = new { url = "https://desk.example.org/hook", events = new[] { WebhookTypes.RoleFilled } };
        (await SchemaAsync("api/CreateWebhook.json")).Validate(JsonSerializer.Serialize(request)).Should().BeEmpty();
        var created = await Post(request);
        var createdBody = await created.Content.ReadAsStringAsync();
        (await SchemaAsync("api/WebhookCreatedResponse.json")).Validate(createdBody).Should().BeEmpty();
        var webhook = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetGuid();
        var listed = (await org.GetAsync("webhooks")).EnumerateArray().Should().ContainSingle().Subject;
        (await SchemaAsync("api/WebhookResponse.json")).Validate(listed.GetRawText()).Should().BeEmpty("a secret is shown once, never listed");

        var stranger = await Scenario.FoundAsync(app.ClientFor("mo@example.org", "Mo"));
        var theirs = await stranger.Client.GetAsync($"{org.Base}/webhooks/{webhook}/deliveries");
        var unknown = await stranger.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}/webhooks/{webhook}/deliveries");
        theirs.StatusCode.Should().Be(unknown.StatusCode).And.Be(HttpStatusCode.NotFound);
        await (await stranger.Client.GetAsync($"{stranger.Base}/webhooks/{webhook}/deliveries")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await org.Client.DeleteAsync($"{org.Base}/webhooks/{webhook}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await org.GetAsync("webhooks")).GetArrayLength().Should().Be(0);
    }
}
