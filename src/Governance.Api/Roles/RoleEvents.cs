using Governance.Registry;

namespace Governance.Roles;

// Events of a role's stream (stream id = role id). A circle is a role too (§1.3.1), so a circle's
// definition and its policies live in its own role stream; its governance records live in its
// governance log. Each is an IRoleEvent: Role.Fold folds it.

/// <summary>An event of a role's stream, folded by <see cref="Role.Fold"/>.</summary>
public interface IRoleEvent;

/// <summary>
/// A role was defined in a circle. <c>CircleId</c> is null only for the Anchor Circle.
/// <c>ElectedRole</c> names an elected core role (Facilitator, Secretary, CircleRep; §1.3.5, §5.1.1).
/// </summary>
public sealed record RoleCreated(
    Guid RoleId,
    Guid OrgId,
    Guid? CircleId,
    string Name,
    string Purpose,
    bool IsCircle,
    bool IsCircleLead,
    Guid? CircleLeadRoleId,
    string? ElectedRole = null) : IRoleEvent, IStreamOpening;

public sealed record RoleRenamed(Guid RoleId, string Name) : IRoleEvent;

public sealed record RolePurposeChanged(Guid RoleId, string Purpose) : IRoleEvent;

public sealed record AccountabilityAdded(Guid RoleId, string Text) : IRoleEvent;

public sealed record AccountabilityRemoved(Guid RoleId, string Text) : IRoleEvent;

/// <summary>The role's circle granted it a domain to exclusively control (§1.1(b), §1.3.2).</summary>
public sealed record DomainDelegated(
    Guid RoleId,
    Guid OrgId,
    Guid? CircleId,
    string Key,
    string Title,
    IReadOnlyList<string> Keywords) : IRoleEvent;

public sealed record DomainRevoked(Guid RoleId, string Key) : IRoleEvent;

/// <summary>Roles may now be defined inside this role (§1.3.1); its Circle Lead role was created.</summary>
public sealed record RoleConvertedToCircle(Guid RoleId, Guid CircleLeadRoleId) : IRoleEvent;

public sealed record RoleRemoved(Guid RoleId) : IRoleEvent;

/// <summary>A Circle Lead assigned a person to the role, optionally with a focus (§1.4.1).</summary>
public sealed record PersonAssignedToRole(Guid RoleId, Guid PersonId, string? Focus) : IRoleEvent;

public sealed record PersonUnassignedFromRole(Guid RoleId, Guid PersonId) : IRoleEvent;

/// <summary>The Circle Lead changed the focus of a person's assignment in place (§1.4.1); null: no focus now.</summary>
public sealed record AssignmentFocusChanged(Guid RoleId, Guid PersonId, string? Focus) : IRoleEvent;

/// <summary>A structured grant of a policy: the role's fillers may decide, up to a limit when one is set (§4.1.3).</summary>
public sealed record PolicyGrant(Guid RoleId, decimal? MaxAmount, string? Currency);

/// <summary>
/// A circle adopted a policy (§1.1, §5.2), optionally on one of its domains, optionally granting
/// authority to roles, optionally setting the least time its Circle Members get to respond to an
/// asynchronous proposal (<c>MinimumResponseHours</c>).
/// </summary>
public sealed record PolicyAdopted(
    Guid PolicyId,
    Guid CircleId,
    Guid OrgId,
    string Title,
    string Text,
    string? DomainKey,
    IReadOnlyList<PolicyGrant> Grants,
    int? MinimumResponseHours = null) : IRoleEvent;

public sealed record PolicyAmended(
    Guid PolicyId,
    Guid CircleId,
    string Title,
    string Text,
    string? DomainKey,
    IReadOnlyList<PolicyGrant> Grants,
    int? MinimumResponseHours = null) : IRoleEvent;

public sealed record PolicyRemoved(Guid PolicyId, Guid CircleId) : IRoleEvent;

/// <summary>The circle elected a person to an elected core role for a term (§5.3.5); the previous holder was unassigned first.</summary>
public sealed record PersonElectedToRole(Guid RoleId, Guid PersonId, DateTimeOffset TermEnds) : IRoleEvent;

/// <summary>
/// A circle moved a role between itself and one of its sub-circles, with its domains (§5.2); the
/// role keeps its stream and history. A circle moves with everything inside it.
/// </summary>
public sealed record RoleMoved(Guid RoleId, Guid OrgId, Guid FromCircleId, Guid ToCircleId, IReadOnlyList<HeldDomain> Domains) : IRoleEvent;
