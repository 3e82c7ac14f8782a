using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Governance.Registry;

/// <summary>Which organisation a stream belongs to, so one organisation's events can be read in order without reading anyone else's.</summary>
public sealed record StreamOwner(Guid Id, Guid OrgId);

/// <summary>Records the owner of each stream from the event that opens it.</summary>
public sealed partial class StreamOwnerProjection : EventProjection
{
    public static void Project(IEvent<IStreamOpening> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));
}
