using Governance.Infrastructure;
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
/// version is known to be past 1. The first event's row is an insert (so a rebuild loads them all
/// with <c>COPY</c>, <c>RebuildWithBulkCopy</c>); an unknown version (0) is an upsert, as the owner
/// never changes.
/// </summary>
public sealed partial class StreamOwnerProjection : EventProjection
{
    public StreamOwnerProjection()
    {
        // A rebuild empties the table first (an event projection's documents are not known to Marten otherwise).
        Options.DeleteViewTypeOnTeardown<StreamOwner>();
        // Only the opening kinds of events are read, not every event (the interface alone would turn the filter off).
        EventTypes.IncludeOnly<IStreamOpening>(this);
    }

    public static void Project(IEvent<IStreamOpening> e, IDocumentOperations ops)
    {
        var owner = new StreamOwner(e.StreamId, e.Data.OrgId);
        if (e.Version == 1) ops.Insert(owner);
        else if (e.Version == 0) ops.Store(owner);
    }
}
