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

    /// <summary>
    /// Records a batch in the circle's log, expecting the log still at <paramref name="readVersion"/>:
    /// of two concurrent records on one circle, one fails to commit (409).
    /// </summary>
    public static void Append(IDocumentSession session, Guid circleId, long readVersion, GovernanceChangesAdopted record)
    {
        var logId = StreamIdOf(circleId);
        if (readVersion == 0) session.Events.StartStream(logId, record);
        else session.Events.Append(logId, readVersion + 1, record);
    }
}
