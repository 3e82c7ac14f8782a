using JasperFx.Events;
using Marten;
using Marten.Linq.MatchesSql;

namespace Governance.Registry;

/// <summary>
/// A full replay of one organisation's events, read through Marten (deserialised and upcast as
/// every read of the store is) and folded by <see cref="OrganisationRegistry"/>: the reference the
/// temporal model is tested against, and what timelines and the verify command fold.
/// </summary>
public static class Replay
{
    /// <summary>The organisation's events (those of the streams it owns) in sequence order, up to an instant.</summary>
    public static IAsyncEnumerable<IEvent> EventsAsync(IQuerySession session, Guid orgId, DateTimeOffset upTo, CancellationToken ct) =>
        Of(session, orgId).Where(e => e.Timestamp <= upTo).OrderBy(e => e.Sequence).ToAsyncEnumerable(ct);

    /// <summary>The organisation's events after a sequence, in sequence order.</summary>
    public static IAsyncEnumerable<IEvent> EventsAfterAsync(IQuerySession session, Guid orgId, long after, CancellationToken ct) =>
        Of(session, orgId).Where(e => e.Sequence > after).OrderBy(e => e.Sequence).ToAsyncEnumerable(ct);

    /// <summary>The events of the streams the organisation owns (<see cref="StreamOwner"/>).</summary>
    private static IQueryable<IEvent> Of(IQuerySession session, Guid orgId) =>
        session.Events.QueryAllRawEvents().Where(e => e.MatchesSql($"d.stream_id in (select id from {StreamOwner.Table(session.DocumentStore)} where org_id = ?)", orgId));

    /// <summary>The organisation's registry replayed from its first event up to an instant.</summary>
    public static async Task<OrganisationRegistry> OrganisationAsync(IQuerySession session, Guid orgId, DateTimeOffset upTo, CancellationToken ct)
    {
        var registry = new OrganisationRegistry(orgId);
        await foreach (var e in EventsAsync(session, orgId, upTo, ct)) registry.Apply(e);
        return registry;
    }
}
