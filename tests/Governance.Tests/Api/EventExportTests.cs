using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class EventExportTests(GovernanceApp app)
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private async Task<(HttpResponseMessage Response, List<string> Lines)> ExportAsync(Scenario org, string query = "")
    {
        var response = await app.Client.GetAsync($"{org.Base}/events{query}");
        var text = await response.Content.ReadAsStringAsync();
        return (response, [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
    }

    /// <summary>The documented rule (docs/audit.md): SHA-256 of the previous hash, a newline, and the line without its hash field.</summary>
    private static string Chain(string previous, string line)
    {
        var unhashed = line[..line.LastIndexOf(",\"hash\":", StringComparison.Ordinal)] + "}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + unhashed)));
    }

    [Fact]
    public async Task The_export_is_every_event_of_the_organisation_in_order_with_a_verifiable_hash_chain()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Bookkeeper", "finance");
        await org.AssignAsync(role, await org.PersonAsync("Ana"));
        var other = await Scenario.FoundAsync(app.Client);
        await other.RoleAsync(other.AnchorCircleId, "Elsewhere", "elsewhere");

        var (response, lines) = await ExportAsync(org);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Select(e => e.GetProperty("type").GetString()).Should().Contain(
            ["organisation_founded", "role_created", "domain_delegated", "governance_changes_adopted", "person_joined", "person_assigned_to_role"]);
        events.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events.Select(e => e.EnumerateObject().Select(p => p.Name).ToList()).Should()
            .AllSatisfy(names => names.Should().Equal("sequence", "streamId", "version", "type", "timestamp", "data", "actor", "correlationId", "hash"));
        // Every event records who did it: here the tester, whose token founded the organisation.
        events.Select(e => e.GetProperty("actor").GetProperty("kind").GetString()).Should().OnlyContain(kind => kind == "person");
        events.Select(e => e.GetProperty("actor").GetProperty("name").GetString()).Should().OnlyContain(name => name == "Tester");
        lines.Should().NotContain(l => l.Contains("Elsewhere", StringComparison.Ordinal));
        var previous = Genesis;
        foreach (var (line, e) in lines.Zip(events))
        {
            previous = Chain(previous, line);
            e.GetProperty("hash").GetString().Should().Be(previous);
        }
    }

    [Fact]
    public async Task After_pages_on_the_sequence_and_keeps_the_same_hashes()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.RoleAsync(org.AnchorCircleId, "One");
        var (_, all) = await ExportAsync(org);
        var cut = JsonDocument.Parse(all[2]).RootElement.GetProperty("sequence").GetInt64();

        var (_, rest) = await ExportAsync(org, $"?after={cut}");

        rest.Should().Equal(all.Skip(3));
    }

    [Fact]
    public async Task A_changed_line_breaks_the_chain_from_there_on()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.RoleAsync(org.AnchorCircleId, "Honest");
        var (_, lines) = await ExportAsync(org);
        var tampered = lines.ToList();
        var target = tampered.FindIndex(l => l.Contains("Honest", StringComparison.Ordinal));
        tampered[target] = tampered[target].Replace("Honest", "Forged", StringComparison.Ordinal);

        var previous = Genesis;
        var firstBroken = -1;
        for (var i = 0; i < tampered.Count && firstBroken < 0; i++)
        {
            previous = Chain(previous, tampered[i]);
            if (JsonDocument.Parse(tampered[i]).RootElement.GetProperty("hash").GetString() != previous) firstBroken = i;
        }

        target.Should().BePositive();
        firstBroken.Should().Be(target);
    }

    [Fact]
    public async Task Export_errors_are_problems()
    {
        var org = await Scenario.FoundAsync(app.Client);

        await (await app.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}/events")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/events?after=-1")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.GetAsync($"{org.Base}/events?after=abc")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
