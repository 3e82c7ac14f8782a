using FluentAssertions;
using Governance.Roles;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Tests.Api;

/// <summary>Event evolution, worked example: a v1 <c>role_named</c> event stored long ago is read as today's RoleRenamed.</summary>
[Collection(ApiCollection.Name)]
public sealed class UpcastingTests(GovernanceApp app)
{
    [Fact]
    public async Task A_stored_v1_rename_is_read_as_the_current_event_type_everywhere()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Old Name");

        // What an earlier version of the service wrote: its type name and shape, not today's.
        var database = app.Services.GetRequiredService<NpgsqlDataSource>();
        (await RawEvents.AppendAsync(database, role, "role_named", "Governance.Roles.RoleNamed, Governance.Api",
            $$"""{"roleId": "{{role}}", "newName": "Name From V1"}""")).Should().Be(1);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(role);
        events[^1].Data.Should().BeEquivalentTo(new RoleRenamed(role, "Name From V1"));
        (await session.Events.AggregateStreamAsync<Role>(role))!.Name.Should().Be("Name From V1");
        var history = (await org.GetAsync($"roles/{role}/history")).EnumerateArray().ToList();
        history[^1].GetProperty("data").GetProperty("name").GetString().Should().Be("Name From V1");
        // Recorded before actors were: the actor is unknown (null), not an error; later events name theirs.
        history[^1].GetProperty("actor").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        history[0].GetProperty("actor").GetProperty("kind").GetString().Should().Be("person");
        var justAfter = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("O"));
        (await org.GetAsync($"roles/{role}?asOf={justAfter}")).GetProperty("name").GetString().Should().Be("Name From V1");
    }
}
