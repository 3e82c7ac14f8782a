using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>asOf answers equal what the service answered at that instant.</summary>
[Collection(ApiCollection.Name)]
public sealed class TimeTravelTests(GovernanceApp app)
{
    /// <summary>The answer without the fields that say when it was computed.</summary>
    private static string Content(JsonElement answer)
    {
        var node = JsonNode.Parse(answer.GetRawText())!.AsObject();
        node.Remove("asOf");
        node.Remove("sequence");
        return node.ToJsonString();
    }

    private static string At(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));

    [Fact]
    public async Task Reads_as_of_an_instant_equal_the_answers_given_at_that_instant()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var (ana, ben) = (await org.PersonAsync("Ana"), await org.PersonAsync("Ben"));
        string[] reads = [$"roles/{agent}", $"circles/{cs}", $"circles/{org.AnchorCircleId}", $"people/{ana}", $"people/{ben}",
            "decision-makers?domain=customer-service/refunds/eu", "decision-makers?domain=customer-service/refunds&amount=300&currency=EUR",
            "roles?circleId=" + cs];
        var history = new List<(DateTimeOffset At, Dictionary<string, string> Answers)>();

        async Task SnapshotAsync()
        {
            var answers = new Dictionary<string, string>();
            foreach (var read in reads) answers[read] = Content(await org.GetAsync(read));
            history.Add((DateTimeOffset.UtcNow, answers));
            await Task.Delay(20);
        }

        await SnapshotAsync();
        await org.AssignAsync(agent, ana, "EU");
        await SnapshotAsync();
        await org.AdoptAsync(cs, Change.UpdateRole(agent, name: "Refunds Lead"), Change.AddAccountability(agent, "Refunding"));
        await SnapshotAsync();
        var support = await org.RoleAsync(cs, "Support Agent");
        await org.AssignAsync(support, ben);
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Refund limit", "customer-service/refunds", Change.Grant(support, 500, "EUR"))));
        await SnapshotAsync();
        await org.AdoptAsync(cs, Change.RemoveDomain(agent, "customer-service/refunds"));
        await app.Client.DeleteAsync($"{org.Base}/roles/{agent}/assignments/{ana}");
        await SnapshotAsync();

        foreach (var (at, answers) in history)
        {
            foreach (var read in reads)
            {
                var separator = read.Contains('?') ? '&' : '?';
                var then = await org.GetAsync($"{read}{separator}asOf={At(at)}");
                Content(then).Should().Be(answers[read], $"{read} as of {at:O}");
            }
        }
    }

    [Fact]
    public async Task A_removed_role_is_gone_now_but_there_as_of_before_its_removal()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Temporary", "temp");
        await Task.Delay(20);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(role));

        await (await app.Client.GetAsync($"{org.Base}/roles/{role}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.GetAsync($"roles/{role}?asOf={At(before)}")).GetProperty("name").GetString().Should().Be("Temporary");
        (await org.WhoDecidesAsync("temp", $"&asOf={At(before)}")).GetProperty("role").GetProperty("id").GetGuid().Should().Be(role);
        var answer = await org.WhoDecidesAsync("temp", $"&asOf={At(before)}");
        answer.GetProperty("asOf").GetDateTimeOffset().Should().Be(before);
    }

    [Fact]
    public async Task Before_the_organisation_existed_there_is_nothing_and_a_bad_instant_is_a_400()
    {
        var org = await Scenario.FoundAsync(app.Client);

        await (await app.Client.GetAsync($"{org.Base}/roles?asOf=2020-01-01T00:00:00Z")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/decision-makers?domain=x&asOf=2020-01-01T00:00:00Z")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/circles/{org.AnchorCircleId}?asOf=not-a-time")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.GetAsync($"{org.Base}/decision-makers?q=refunds&asOf=2020-01-01T00:00:00Z")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
