using System.Text.Json;
using Governance.Registry;
using Governance.Infrastructure;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Governance.Audit;

public sealed record HistoryEntry(long Sequence, long Version, string Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>A role's whole life, oldest first, straight from its event stream; removed roles keep their history.</summary>
public static class RoleHistory
{
    [WolverineGet("/api/orgs/{orgId}/roles/{roleId}/history"), Tags("Audit")]
    [ProducesResponseType<IReadOnlyList<HistoryEntry>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid orgId, Guid roleId, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(roleId, token: ct);
        if (events.Count == 0 || events[0].Data is not RoleCreated created || created.OrgId != orgId)
        {
            return NotFound.Role(roleId).ToResult();
        }
        var serializer = session.DocumentStore.Options.Serializer();
        return Results.Ok(events.Select(e => new HistoryEntry(e.Sequence, e.Version, e.EventTypeName, e.Timestamp,
            JsonDocument.Parse(serializer.ToJson(e.Data)).RootElement)).ToList());
    }
}
