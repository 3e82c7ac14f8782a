using Marten;
using Marten.Events.Projections;

namespace Governance.Roles;

/// <summary>
/// The domain index: one row per (role, domain key), so "who holds any of these keys?" is one
/// indexed query instead of a scan over every role.
/// </summary>
public sealed record DomainHolding(
    string Id,
    Guid OrgId,
    string Key,
    string Title,
    IReadOnlyList<string> Keywords,
    Guid RoleId,
    Guid? CircleId)
{
    public static string IdOf(Guid roleId, string key) => $"{roleId:N}:{key}";

    /// <summary>The index rows of a role's domains, as the projection keeps them.</summary>
    public static IEnumerable<DomainHolding> Of(Role role) =>
        role.Domains.Select(d => new DomainHolding(IdOf(role.Id, d.Key), role.OrgId, d.Key, d.Title, d.Keywords, role.Id, role.CircleId));
}

/// <summary>Keeps <see cref="DomainHolding"/> rows in step with the role streams (insert/delete only).</summary>
public sealed partial class DomainIndexProjection : EventProjection
{
    public static void Project(DomainDelegated e, IDocumentOperations ops) =>
        ops.Store(new DomainHolding(DomainHolding.IdOf(e.RoleId, e.Key), e.OrgId, e.Key, e.Title, e.Keywords, e.RoleId, e.CircleId));

    public static void Project(DomainRevoked e, IDocumentOperations ops) =>
        ops.Delete<DomainHolding>(DomainHolding.IdOf(e.RoleId, e.Key));

    public static void Project(RoleMoved e, IDocumentOperations ops)
    {
        foreach (var d in e.Domains)
        {
            ops.Store(new DomainHolding(DomainHolding.IdOf(e.RoleId, d.Key), e.OrgId, d.Key, d.Title, d.Keywords, e.RoleId, e.ToCircleId));
        }
    }

    public static void Project(RoleRemoved e, IDocumentOperations ops) =>
        ops.DeleteWhere<DomainHolding>(h => h.RoleId == e.RoleId);
}
