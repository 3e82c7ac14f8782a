using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Faults;

/// <summary>
/// Deadlines of asynchronous proposals across a fleet and a crash: the built service in processes of
/// its own (Wolverine's balanced mode, as in production) on a PostgreSQL of this class's own.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeadlineFaultTests(PrivateDatabase database) : IClassFixture<PrivateDatabase>
{
    [Fact]
    public async Task Deadlines_scheduled_by_an_instance_killed_before_them_are_each_adopted_once_by_the_others()
    {
        var settings = ServiceProcess.OnDatabase(database.ConnectionString);
        await using var survivor = ServiceProcess.Start(settings);
        var proposals = new List<Guid>();
        Scenario org;
        Guid circle;
        long versionBefore;
        await using (var doomed = ServiceProcess.Start(settings))
        {
            await Task.WhenAll(doomed.ReadyAsync(), survivor.ReadyAsync());
            org = await Scenario.FoundAsync(doomed.Client);
            circle = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
            var ana = await org.MemberAsync(circle, "Ana");
            await org.MemberAsync(circle, "Ben");
            versionBefore = (await org.GetAsync($"circles/{circle}")).GetProperty("version").GetInt64();
            // Six deadlines on one circle at the same instant: their adoptions also race for the circle's version.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(4);
            for (var i = 0; i < 6; i++)
            {
                proposals.Add(await org.ProposalAsync(circle, ana, deadline, Change.CreateRole($"Agent {i}", domains: [$"customer-service/queue-{i}"])));
            }
            await doomed.KillAsync();
        }
        // A restarted instance joins the one still running.
        await using var restarted = ServiceProcess.Start(settings);
        await restarted.ReadyAsync();
        var reader = org.As(survivor.Client);

        var waited = Stopwatch.StartNew();
        var statuses = new List<string?>();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            statuses = [.. await Task.WhenAll(proposals.Select(async p => (await reader.GetAsync($"proposals/{p}")).GetProperty("status").GetString()))];
            if (statuses.All(s => s == "Adopted")) break;
            await Task.Delay(200);
        }

        statuses.Should().AllBe("Adopted", survivor.Output + restarted.Output);
        foreach (var proposal in proposals)
        {
            var read = await reader.GetAsync($"proposals/{proposal}");
            read.GetProperty("record").EnumerateArray().Count(s => s.GetProperty("type").GetString() == "proposal_adopted").Should().Be(1);
            read.GetProperty("adoptedBy").GetProperty("reason").GetString().Should().Be("deadline");
        }
        (await reader.GetAsync($"circles/{circle}")).GetProperty("version").GetInt64().Should().Be(versionBefore + proposals.Count, "each adoption once");
        var roles = (await reader.GetAsync($"circles/{circle}")).GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        roles.Where(r => r!.StartsWith("Agent ", StringComparison.Ordinal)).Should().HaveCount(6);
        (await reader.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
