using System.Text.Json;
using Governance.Identity;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Audit;

/// <summary>One event of a role's stream, with who recorded it (null for events from before actors were recorded).</summary>
public sealed record HistoryEntry(long Sequence, long Version, string Type, DateTimeOffset Timestamp, JsonElement Data, Actor? Actor, string? CorrelationId);

/// <summary>A role's whole life, oldest first, straight from its event stream; removed roles keep their history.</summary>
public static class RoleHistory
{
    /// <summary>Every event of a role's stream, oldest first.</summary>
    [WolverineGet("/api/orgs/{orgId}/roles/{roleId}/history", OperationId = "getRoleHistory"), Tags("Audit")]
    [Requires(Right.Audit)]
    public static async Task<Results<Ok<List<HistoryEntry>>, ProblemHttpResult>> Get(Guid orgId, Guid roleId, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(roleId, token: ct);
        if (events.Count == 0 || events[0].Data is not RoleCreated created || created.OrgId != orgId)
        {
            return Unknown.Role(roleId).ToResult();
        }
        var serializer = session.DocumentStore.Options.Serializer();
        return TypedResults.Ok(events.Select(e => new HistoryEntry(e.Sequence, e.Version, e.EventTypeName, e.Timestamp,
            JsonDocument.Parse(serializer.ToJson(e.Data)).RootElement, Actor.Of(e), e.CorrelationId)).ToList());
    }
}
