namespace Governance.Roles;

/// <summary>
/// Old event shapes, read as today's events (docs/audit.md "Changing events"). Worked example: an
/// early version stored renames as <c>role_named</c> with <c>newName</c>; they are read as
/// <see cref="RoleRenamed"/>. Marten applies it to every read of the store
/// (registered in <see cref="RolesSetup"/>), the live registry and replays included.
/// </summary>
public static class Upcasting
{
    /// <summary>The v1 shape of a rename, kept only to read old events.</summary>
    public sealed record RoleNamedV1(Guid RoleId, string NewName);

    public const string RoleNamedV1Type = "role_named";

    public static RoleRenamed FromRoleNamedV1(RoleNamedV1 old) => new(old.RoleId, old.NewName);
}
