using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.People;
using Governance.Roles;
using Npgsql;

namespace Governance.Infrastructure;

/// <summary>The registry of one organisation as it stood at an instant, and the holders of a domain key then.</summary>
public sealed record RegistryAt(
    DateTimeOffset AsOf,
    long Sequence,
    Organisation? Organisation,
    IReadOnlyDictionary<Guid, Role> Roles,
    IReadOnlyDictionary<Guid, Person> People,
    IReadOnlyDictionary<Guid, long> GovernanceVersions,
    Func<string, IReadOnlyList<DomainHolding>> HoldersOf)
{
    /// <summary>What a question at that instant is resolved against (the organisation must have existed).</summary>
    public DecisionRights.RegistryFacts Facts() => new(Organisation!.AnchorCircleId, HoldersOf, Roles, People);
}

/// <summary>
/// A full replay of an organisation's events up to an instant (one indexed query over its streams,
/// folded with the projections' own Apply methods): the reference that the temporal read model
/// (<see cref="RegistryHistory"/>, which serves <c>asOf</c>) is tested against, and what timelines,
/// the export verifier and the verify command fold.
/// </summary>
public static class TimeTravel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Null instant: read the current state. A past instant: replay.</summary>
    public static (DateTimeOffset? Instant, Problem? Problem) Parse(string? asOf)
    {
        if (asOf is null) return (null, null);
        if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return (null, Problem.BadRequest("invalid-asof", $"asOf '{asOf}' is not an ISO-8601 date-time."));
        }
        return (instant >= DateTimeOffset.UtcNow ? null : instant.ToUniversalTime(), null);
    }

    private const string Sql = """
        select e.seq_id, e.timestamp, e.type, e.mt_dotnet_type, e.data::text
        from {0}.mt_events e
        join {0}.mt_doc_streamowner o on o.id = e.stream_id
        where o.org_id = @org and e.timestamp <= @asOf
        order by e.seq_id
        """;

    /// <summary>One recorded event of an organisation, deserialised.</summary>
    public sealed record Recorded(long Sequence, DateTimeOffset Timestamp, string Type, object Event);

    /// <summary>The organisation's events in order, up to an instant, streamed.</summary>
    public static async IAsyncEnumerable<Recorded> EventsAsync(
        Guid orgId, DateTimeOffset upTo, NpgsqlDataSource database, string schema, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = database.CreateCommand(Sql.Replace("{0}", schema, StringComparison.Ordinal));
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("asOf", upTo);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (storedType, json) = (reader.GetString(2), reader.GetString(4));
            var type = Type.GetType(reader.GetString(3));
            var e = Upcasting.Read(storedType, json, Json) ?? (type is null ? null : JsonSerializer.Deserialize(json, type, Json));
            if (e is not null)
            {
                yield return new Recorded(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1).ToUniversalTime(), storedType, e);
            }
        }
    }

    public static async Task<RegistryAt> ReplayAsync(Guid orgId, DateTimeOffset asOf, NpgsqlDataSource database, string schema, CancellationToken ct)
    {
        var state = new RegistryFold();
        long sequence = 0;
        await foreach (var recorded in EventsAsync(orgId, asOf, database, schema, ct))
        {
            sequence = recorded.Sequence;
            state.Apply(recorded.Event);
        }
        return new RegistryAt(asOf, sequence, state.Organisation, state.Roles, state.People, state.Versions, key => state.HoldersOf(orgId, key));
    }

}
