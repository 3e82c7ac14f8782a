using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.Proposals;
using Governance.Roles;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Governance.Audit;

/// <summary>Which organisation a stream belongs to, so one organisation's events can be read in order without reading anyone else's.</summary>
public sealed record StreamOwner(Guid Id, Guid OrgId);

/// <summary>Records the owner when a stream opens; every stream's first event names its organisation.</summary>
public sealed partial class StreamOwnerProjection : EventProjection
{
    public static void Project(IEvent<OrganisationFounded> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));

    public static void Project(IEvent<PersonJoined> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));

    public static void Project(IEvent<RoleCreated> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));

    public static void Project(IEvent<ProposalSubmitted> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));

    public static void Project(IEvent<GovernanceChangesAdopted> e, IDocumentOperations ops) => ops.Store(new StreamOwner(e.StreamId, e.Data.OrgId));
}
