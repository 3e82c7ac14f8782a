using Npgsql;

namespace Governance.Tests.Support;

/// <summary>Writes an event with SQL, as another instance or an older version of the service would, bypassing this process's Marten sessions.</summary>
public static class RawEvents
{
    public static async Task<int> AppendAsync(NpgsqlDataSource database, Guid stream, string type, string dotnetType, string data)
    {
        await using var command = database.CreateCommand("""
            with next as (update mt_streams set version = version + 1 where id = @stream returning version)
            insert into mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            select nextval('mt_events_sequence'), gen_random_uuid(), @stream, next.version, @data::jsonb, @type, now(), '*DEFAULT*', @dotnetType
            from next
            """);
        command.Parameters.AddWithValue("stream", stream);
        command.Parameters.AddWithValue("data", data);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("dotnetType", dotnetType);
        return await command.ExecuteNonQueryAsync();
    }
}
