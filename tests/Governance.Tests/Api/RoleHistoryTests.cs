using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RoleHistoryTests(GovernanceApp app)
{
    [Fact]
    public async Task A_roles_history_replays_every_change_oldest_first()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Bookkeeper", "finance");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(role, ana, "Invoices");
        await org.AdoptAsync(org.AnchorCircleId, Change.UpdateRole(role, name: "Accountant"));

        var history = (await org.GetAsync($"roles/{role}/history")).EnumerateArray().ToList();

        history.Select(e => e.GetProperty("type").GetString()).Should().Equal(
            "role_created", "domain_delegated", "person_assigned_to_role", "role_renamed");
        history.Select(e => e.GetProperty("version").GetInt64()).Should().Equal(1, 2, 3, 4);
        history.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder();
        history[0].GetProperty("data").GetProperty("name").GetString().Should().Be("Bookkeeper");
        history[1].GetProperty("data").GetProperty("key").GetString().Should().Be("finance");
        history[2].GetProperty("data").GetProperty("focus").GetString().Should().Be("Invoices");
        history[3].GetProperty("data").GetProperty("name").GetString().Should().Be("Accountant");
        history.Should().OnlyContain(e => e.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }
}
