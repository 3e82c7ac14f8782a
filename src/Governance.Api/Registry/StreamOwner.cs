using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Governance.Registry;

/// <summary>
/// An event that may open a stream of an organisation (every stream's first event is one). It names
/// the organisation, so the stream's owner is known from it: the one declaration that
/// <see cref="StreamOwnerProjection"/> and the live registry both go by.
/// </summary>
public interface IOpensStream
{
    Guid OrgId { get; }
}

/// <summary>Which organisation a stream belongs to, so one organisation's events can be read in order without reading anyone else's.</summary>
public sealed record StreamOwner(Guid Id, Guid OrgId);

/// <summary>Records the owner of each stream from the event that opens it.</summary>
public sealed partial class StreamOwnerProjection : EventProjection
{
    public static void Project(IEvent<IOpensStream> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));
}
