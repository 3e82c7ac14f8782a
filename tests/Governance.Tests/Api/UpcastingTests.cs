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
        await using (var command = database.CreateCommand("""
            with next as (update mt_streams set version = version + 1 where id = @stream returning version)
            insert into mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            select nextval('mt_events_sequence'), gen_random_uuid(), @stream, next.version, @data::jsonb, 'role_named', now(), '*DEFAULT*',
                   'Governance.Roles.RoleNamed, Governance.Api'
            from next
            """))
        {
            command.Parameters.AddWithValue("stream", role);
            command.Parameters.AddWithValue("data", $$"""{"roleId": "{{role}}", "newName": "Name From V1"}""");
            (await command.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(role);
        events[^1].Data.Should().BeEquivalentTo(new RoleRenamed(role, "Name From V1"));
        (await session.Events.AggregateStreamAsync<Role>(role))!.Name.Should().Be("Name From V1");
        (await org.GetAsync($"roles/{role}/history")).EnumerateArray().Last().GetProperty("data").GetProperty("name").GetString().Should().Be("Name From V1");
        var justAfter = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("O"));
        (await org.GetAsync($"roles/{role}?asOf={justAfter}")).GetProperty("name").GetString().Should().Be("Name From V1");
    }
}
