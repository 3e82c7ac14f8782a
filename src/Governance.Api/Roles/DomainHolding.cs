namespace Governance.Roles;

/// <summary>
/// One role's hold on one domain key: what "who holds this key?" finds in the live registry's
/// index (<see cref="Registry.OrganisationRegistry"/>). Derived from the role, never stored: SQL
/// readers find a role's domains in its document (docs/decisions.md, "The domain index").
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
