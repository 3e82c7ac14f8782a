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
/// <c>ExternalId</c>: the role's id in the system it was imported from (e.g. <c>glassfrog:role:83866836</c>),
/// so a second import finds it; absent in older events and for roles defined here.
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
    string? ElectedRole = null,
    string? ExternalId = null) : IRoleEvent, IStreamOpening;

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

/// <summary>
/// The circle is a role again (§1.3.1): no roles are defined inside it any more; it keeps its
/// domains, accountabilities and filler. Its core roles, policies and rulings ended by their own events just before.
/// </summary>
public sealed record CircleConvertedToRole(Guid RoleId) : IRoleEvent;

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
/// asynchronous proposal (<c>MinimumResponseHours</c>). <c>MovedFrom</c>: the policy came with a
/// role moved here from that circle (same id; its <see cref="PolicyRemoved"/> there says <c>MovedTo</c>).
/// </summary>
public sealed record PolicyAdopted(
    Guid PolicyId,
    Guid CircleId,
    Guid OrgId,
    string Title,
    string Text,
    string? DomainKey,
    IReadOnlyList<PolicyGrant> Grants,
    int? MinimumResponseHours = null,
    Guid? MovedFrom = null) : IRoleEvent;

public sealed record PolicyAmended(
    Guid PolicyId,
    Guid CircleId,
    string Title,
    string Text,
    string? DomainKey,
    IReadOnlyList<PolicyGrant> Grants,
    int? MinimumResponseHours = null) : IRoleEvent;

/// <summary>A circle removed one of its policies; <c>MovedTo</c>: it moved with a role to that circle.</summary>
public sealed record PolicyRemoved(Guid PolicyId, Guid CircleId, Guid? MovedTo = null) : IRoleEvent;

/// <summary>The circle elected a person to an elected core role for a term (§5.3.5); the previous holder was unassigned first.</summary>
public sealed record PersonElectedToRole(Guid RoleId, Guid PersonId, DateTimeOffset TermEnds) : IRoleEvent;

/// <summary>
/// A circle moved a role between itself and one of its sub-circles, with its domains (§5.2); the
/// role keeps its stream and history. A circle moves with everything inside it.
/// </summary>
public sealed record RoleMoved(Guid RoleId, Guid OrgId, Guid FromCircleId, Guid ToCircleId, IReadOnlyList<HeldDomain> Domains) : IRoleEvent;

/// <summary>
/// The circle's Secretary ruled on a conflict of interpretation (§4.2.1), optionally about one of the
/// circle's domains: everyone aligns with it until the text or context changes. Stream: the circle.
/// </summary>
public sealed record InterpretationRuled(Guid RulingId, Guid CircleId, string Question, string Ruling, string? DomainKey, Guid? SecretaryId, DateTimeOffset RuledAt) : IRoleEvent;

/// <summary>The ruling no longer holds: its text or context changed, or a super-circle's Secretary overruled it (§4.2.1).</summary>
public sealed record InterpretationRulingWithdrawn(Guid RulingId, Guid CircleId, string Reason) : IRoleEvent;
