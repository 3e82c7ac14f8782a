using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
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
        select e.seq_id, e.stream_id, e.version, e.type, e.timestamp, e.data::text, (e.headers -> 'actor')::text, e.correlation_id
        from {events}.mt_events e
        join {documents}.mt_doc_streamowner o on o.id = e.stream_id
        where o.org_id = @org and e.seq_id <= @through
        order by e.seq_id
        """;

    /// <summary>
    /// How long an export waits for transactions still holding lower sequence numbers to end
    /// before it answers 503 (an export never leaves out an event that may still commit below its last line).
    /// </summary>
    public static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(10);

    /// <summary>The organisation's whole record as NDJSON with a SHA-256 hash chain, after a sequence.</summary>
    [WolverineGet("/api/orgs/{orgId}/events", OperationId = "exportEvents"), Tags("Audit")]
    [Requires(Right.Audit)]
    public static async Task<Results<EventLines, ProblemHttpResult>> Export(
        Guid orgId, string? after, IQuerySession session, NpgsqlDataSource database, SequenceFence fence, HttpResponse response, CancellationToken ct)
    {
        if (await session.OrganisationAsync(orgId, ct) is null) return Unknown.Organisation(orgId).ToResult();
        long from = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            return Problem.BadRequest("invalid-after", "after is an event sequence number (0 or more).").ToResult();
        }
        // Ends at a settled fence: no event can commit later at or below the page's last line.
        if (await fence.SettleAsync(SettleWait, ct) is not { } through)
        {
            response.Headers.RetryAfter = "1";
            return Problem.Unavailable("export-unsettled", "The event store is still settling.",
                "A transaction holding event sequence numbers is still open, so an export could miss its events; try again shortly.").ToResult();
        }
        var options = session.DocumentStore.Options;
        return new EventLines(orgId, from, through, database, Sql.Replace("{events}", options.Events.DatabaseSchemaName, StringComparison.Ordinal)
            .Replace("{documents}", options.DatabaseSchemaName, StringComparison.Ordinal));
    }

    /// <summary>The export's lines, streamed row by row from PostgreSQL as they are written to the response.</summary>
    public sealed class EventLines(Guid orgId, long after, long through, NpgsqlDataSource database, string sql) : IResult, IEndpointMetadataProvider
    {
        public const string ContentType = "application/x-ndjson";

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = ContentType;
            await using var command = database.CreateCommand(sql);
            command.Parameters.AddWithValue("org", orgId);
            command.Parameters.AddWithValue("through", through);
            await using var reader = await command.ExecuteReaderAsync(httpContext.RequestAborted);
            // The chain starts at the organisation's first event, so lines after `after` are hashed from there on.
            var previous = Genesis;
            while (await reader.ReadAsync(httpContext.RequestAborted))
            {
                var record = new ExportedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4).ToUniversalTime(), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
                previous = Hash(previous, record);
                if (record.Sequence <= after) continue;
                await httpContext.Response.WriteAsync(record.ToLine(previous) + "\n", httpContext.RequestAborted);
            }
        }

        public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentType]));
    }

    /// <summary>SHA-256 (lower-case hex) of the previous hash, a newline and the line's canonical form.</summary>
    public static string Hash(string previous, ExportedEvent record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + record.Canonical())));
}

/// <summary>
/// One exported event. <c>Data</c> and <c>Actor</c> are JSON exactly as PostgreSQL stores them
/// (jsonb text); an event recorded before actors were has neither actor nor correlation id.
/// </summary>
public sealed record ExportedEvent(long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string Data, string? Actor = null, string? CorrelationId = null)
{
    /// <summary>
    /// The hashed form: fields in this order, no spaces, timestamp in UTC with 7 fraction digits,
    /// data and actor verbatim (so the chain covers who did what, and when).
    /// </summary>
    public string Canonical() =>
        "{\"sequence\":" + Sequence.ToString(CultureInfo.InvariantCulture)
        + ",\"streamId\":\"" + StreamId.ToString("D") + "\""
        + ",\"version\":" + Version.ToString(CultureInfo.InvariantCulture)
        + ",\"type\":" + JsonSerializer.Serialize(Type)
        + ",\"timestamp\":\"" + Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "\""
        + ",\"data\":" + Data
        + ",\"actor\":" + (Actor ?? "null")
        + ",\"correlationId\":" + (CorrelationId is null ? "null" : JsonSerializer.Serialize(CorrelationId)) + "}";

    public string ToLine(string hash) => Canonical()[..^1] + ",\"hash\":\"" + hash + "\"}";
}
