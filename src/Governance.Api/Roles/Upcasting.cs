using System.Text.Json;

namespace Governance.Roles;

/// <summary>
/// Old event shapes, read as today's events (docs/audit.md "Changing events"). Worked example: an
/// early version stored renames as <c>role_named</c> with <c>newName</c>; they are read as
/// <see cref="RoleRenamed"/>. Marten applies it when reading streams; the replay used by asOf,
/// timelines and verify applies the same mapping.
/// </summary>
public static class Upcasting
{
    /// <summary>The v1 shape of a rename, kept only to read old events.</summary>
    public sealed record RoleNamedV1(Guid RoleId, string NewName);

    public const string RoleNamedV1Type = "role_named";

    public static RoleRenamed FromRoleNamedV1(RoleNamedV1 old) => new(old.RoleId, old.NewName);

    /// <summary>An event stored under an old type name, as today's event; null when the name is not an old one.</summary>
    public static object? Read(string storedType, string json, JsonSerializerOptions options) => storedType switch
    {
        RoleNamedV1Type => JsonSerializer.Deserialize<RoleNamedV1>(json, options) is { } old ? FromRoleNamedV1(old) : null,
        _ => null,
    };
}
