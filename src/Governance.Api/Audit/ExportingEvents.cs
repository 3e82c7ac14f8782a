using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Registry;
using Governance.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace Governance.Audit;

/// <summary>
/// The organisation's whole record as NDJSON, oldest first, streamed row by row (constant memory).
/// Each line carries a SHA-256 <c>hash</c> chained to the previous line's (docs/audit.md), so a
/// copy can be checked without trusting the service.
/// </summary>
public static class ExportingEvents
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Sql = """
        select e.seq_id, e.stream_id, e.version, e.type, e.timestamp, e.data::text
        from {0}.mt_events e
        join {0}.mt_doc_streamowner o on o.id = e.stream_id
        where o.org_id = @org
        order by e.seq_id
        """;

    [WolverineGet("/api/orgs/{orgId}/events"), Tags("Audit")]
    [Produces("application/x-ndjson")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task Export(Guid orgId, string? after, HttpContext http, IQuerySession session, NpgsqlDataSource database, CancellationToken ct)
    {
        if (await session.OrganisationAsync(orgId, ct) is null)
        {
            await NotFound.Organisation(orgId).ToResult().ExecuteAsync(http);
            return;
        }
        long from = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            await Problem.BadRequest("invalid-after", "after is an event sequence number (0 or more).").ToResult().ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        await using var command = database.CreateCommand(Sql.Replace("{0}", session.DocumentStore.Options.Events.DatabaseSchemaName, StringComparison.Ordinal));
        command.Parameters.AddWithValue("org", orgId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        // The chain starts at the organisation's first event, so lines after `after` are hashed from there on.
        var previous = Genesis;
        while (await reader.ReadAsync(ct))
        {
            var record = new ExportedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4).ToUniversalTime(), reader.GetString(5));
            previous = Hash(previous, record);
            if (record.Sequence <= from) continue;
            await http.Response.WriteAsync(record.ToLine(previous) + "\n", ct);
        }
    }

    /// <summary>SHA-256 (lower-case hex) of the previous hash, a newline and the line's canonical form.</summary>
    public static string Hash(string previous, ExportedEvent record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + record.Canonical())));
}

/// <summary>One exported event. <c>Data</c> is the event's JSON exactly as PostgreSQL stores it (jsonb text).</summary>
public sealed record ExportedEvent(long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string Data)
{
    /// <summary>The hashed form: fields in this order, no spaces, timestamp in UTC with 7 fraction digits, data verbatim.</summary>
    public string Canonical() =>
        "{\"sequence\":" + Sequence.ToString(CultureInfo.InvariantCulture)
        + ",\"streamId\":\"" + StreamId.ToString("D") + "\""
        + ",\"version\":" + Version.ToString(CultureInfo.InvariantCulture)
        + ",\"type\":" + JsonSerializer.Serialize(Type)
        + ",\"timestamp\":\"" + Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "\""
        + ",\"data\":" + Data + "}";

    public string ToLine(string hash) => Canonical()[..^1] + ",\"hash\":\"" + hash + "\"}";
}
