using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Governance.Registry;

/// <summary>Which organisation a stream belongs to, so one organisation's events can be read in order without reading anyone else's.</summary>
public sealed record StreamOwner(Guid Id, Guid OrgId)
{
    /// <summary>The table, for SQL that joins events to their owners.</summary>
    public static string Table(IDocumentStore store) => $"{store.Options.DatabaseSchemaName}.mt_doc_streamowner";
}

/// <summary>
/// Records the owner of each stream from the event that opens it. A later event of the kinds that may
/// open a stream (a circle's governance log gets one per batch) is not stored again: its stream's
/// version is known to be past 1 (an unknown version, 0, is stored, as the owner never changes).
/// </summary>
public sealed partial class StreamOwnerProjection : EventProjection
{
    public static void Project(IEvent<IStreamOpening> e, IDocumentOperations ops)
    {
        if (e.Version <= 1) ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));
    }
}
