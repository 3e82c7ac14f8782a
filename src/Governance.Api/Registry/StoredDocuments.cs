using Governance.Organisations;
using Governance.People;
using Governance.Roles;
using Marten;

namespace Governance.Registry;

/// <summary>
/// Reads of the registry documents Marten stores, for writes: they read inside the write's own
/// session (under its stream locks), where the live registry could be a moment behind another
/// instance. Scoped to one organisation, so ids of another organisation are simply not found.
/// </summary>
public static class StoredDocuments
{
    public static async Task<Organisation?> OrganisationAsync(this IQuerySession session, Guid orgId, CancellationToken ct) =>
        await session.LoadAsync<Organisation>(orgId, ct);

    public static async Task<Role?> RoleAsync(this IQuerySession session, Guid orgId, Guid roleId, CancellationToken ct) =>
        await session.LoadAsync<Role>(roleId, ct) is { } role && role.OrgId == orgId ? role : null;

    public static async Task<Person?> PersonAsync(this IQuerySession session, Guid orgId, Guid personId, CancellationToken ct) =>
        await session.LoadAsync<Person>(personId, ct) is { } person && person.OrgId == orgId ? person : null;
}
