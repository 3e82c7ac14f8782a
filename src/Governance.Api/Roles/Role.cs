using Marten.Events.Aggregation;

namespace Governance.Roles;

/// <summary>
/// The registry's current view of one role (or circle), projected inline from the role's stream so
/// that a read right after a write sees it. Removed roles are deleted from this view; their history
/// stays in the event store.
/// </summary>
public sealed record Role
{
    public Guid Id { get; init; }
    public Guid OrgId { get; init; }
    /// <summary>The circle the role lives in; null only for the Anchor Circle.</summary>
    public Guid? CircleId { get; init; }
    public string Name { get; init; } = "";
    public string Purpose { get; init; } = "";
    public bool IsCircle { get; init; }
    public bool IsCircleLead { get; init; }
    public Guid? CircleLeadRoleId { get; init; }
    /// <summary>Facilitator, Secretary or CircleRep for the elected core roles; null otherwise.</summary>
    public string? ElectedRole { get; init; }
    public IReadOnlyList<string> Accountabilities { get; init; } = [];
    public IReadOnlyList<HeldDomain> Domains { get; init; } = [];
    public IReadOnlyList<Filler> Fillers { get; init; } = [];
    /// <summary>Policies this circle adopted (empty for plain roles).</summary>
    public IReadOnlyList<Policy> Policies { get; init; } = [];
    /// <summary>Filler person ids, duplicated for the "roles of a person" query.</summary>
    public IReadOnlyList<Guid> FillerIds { get; init; } = [];

    public bool IsAnchorCircle => CircleId is null;

    public bool HoldsDomain(string key) => Domains.Any(d => d.Key == key);

    public Role WithFillers(IReadOnlyList<Filler> fillers) =>
        this with { Fillers = fillers, FillerIds = [.. fillers.Select(f => f.PersonId)] };
}

public sealed record HeldDomain(string Key, string Title, IReadOnlyList<string> Keywords);

/// <summary>Who fills a role; elected fillers serve until <c>TermEnds</c> (§5.3.5).</summary>
public sealed record Filler(Guid PersonId, string? Focus, DateTimeOffset? TermEnds = null);

public sealed record Policy(Guid Id, string Title, string Text, string? DomainKey, IReadOnlyList<PolicyGrant> Grants);

/// <summary>Folds a role stream into <see cref="Role"/>; one small Apply per event.</summary>
public sealed partial class RoleProjection : SingleStreamProjection<Role, Guid>
{
    public static Role Create(RoleCreated e) => new()
    {
        Id = e.RoleId,
        OrgId = e.OrgId,
        CircleId = e.CircleId,
        Name = e.Name,
        Purpose = e.Purpose,
        IsCircle = e.IsCircle,
        IsCircleLead = e.IsCircleLead,
        CircleLeadRoleId = e.CircleLeadRoleId,
        ElectedRole = e.ElectedRole,
    };

    public static Role Apply(RoleRenamed e, Role role) => role with { Name = e.Name };

    public static Role Apply(RolePurposeChanged e, Role role) => role with { Purpose = e.Purpose };

    public static Role Apply(AccountabilityAdded e, Role role) =>
        role with { Accountabilities = [.. role.Accountabilities, e.Text] };

    public static Role Apply(AccountabilityRemoved e, Role role) =>
        role with { Accountabilities = [.. role.Accountabilities.Where(a => a != e.Text)] };

    public static Role Apply(DomainDelegated e, Role role) =>
        role with { Domains = [.. role.Domains, new HeldDomain(e.Key, e.Title, e.Keywords)] };

    public static Role Apply(DomainRevoked e, Role role) =>
        role with { Domains = [.. role.Domains.Where(d => d.Key != e.Key)] };

    public static Role Apply(RoleConvertedToCircle e, Role role) =>
        role with { IsCircle = true, CircleLeadRoleId = e.CircleLeadRoleId };

    public static Role Apply(PersonAssignedToRole e, Role role) =>
        role.WithFillers([.. role.Fillers, new Filler(e.PersonId, e.Focus)]);

    public static Role Apply(PersonElectedToRole e, Role role) =>
        role.WithFillers([.. role.Fillers.Where(f => f.PersonId != e.PersonId), new Filler(e.PersonId, null, e.TermEnds)]);

    public static Role Apply(PersonUnassignedFromRole e, Role role) =>
        role.WithFillers([.. role.Fillers.Where(f => f.PersonId != e.PersonId)]);

    public static Role Apply(PolicyAdopted e, Role role) =>
        role with { Policies = [.. role.Policies, new Policy(e.PolicyId, e.Title, e.Text, e.DomainKey, e.Grants)] };

    public static Role Apply(PolicyAmended e, Role role) =>
        role with { Policies = [.. role.Policies.Select(p => p.Id == e.PolicyId ? new Policy(e.PolicyId, e.Title, e.Text, e.DomainKey, e.Grants) : p)] };

    public static Role Apply(PolicyRemoved e, Role role) =>
        role with { Policies = [.. role.Policies.Where(p => p.Id != e.PolicyId)] };

    public static Role Apply(RoleMoved e, Role role) => role with { CircleId = e.ToCircleId };

    public static bool ShouldDelete(RoleRemoved e) => true;
}
