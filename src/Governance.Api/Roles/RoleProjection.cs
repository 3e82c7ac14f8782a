using Governance.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Governance.Roles;

/// <summary>Keeps each role stream's <see cref="Role"/> document, inline with its events, by <see cref="Role.Fold"/>.</summary>
public sealed class RoleProjection : SingleStreamProjection<Role, Guid>
{
    public RoleProjection() => EventTypes.IncludeOnly<IRoleEvent>(this);

    public override Role? Evolve(Role? snapshot, Guid id, IEvent e) =>
        e.Data is IRoleEvent change ? Role.Fold(snapshot, change) : snapshot;
}
