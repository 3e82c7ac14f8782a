using Governance.Infrastructure;
using Marten;

namespace Governance.GovernanceChanges;

/// <summary>
/// Each circle has a governance log: a stream holding only its adopted governance records. Its
/// version is the circle's governance version. Its id is derived from the circle's id.
/// </summary>
public static class GovernanceLog
{
    public static Guid StreamIdOf(Guid circleId) => NameBasedId.Of(circleId, "governance-log");

    public static async Task<long> VersionAsync(IQuerySession session, Guid circleId, CancellationToken ct) =>
        (await session.Events.FetchStreamStateAsync(StreamIdOf(circleId), ct))?.Version ?? 0;
}
