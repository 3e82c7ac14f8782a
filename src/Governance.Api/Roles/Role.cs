using Governance.Registry;

namespace Governance.Roles;

/// <summary>
/// One role (or circle) as its stream has made it. <see cref="Fold"/> is the one place an event's
/// effect on a role is written: the inline projection (<see cref="RoleProjection"/>), the live
/// registry, replays and the governance rules' working copy all fold with it. Removed roles are
/// gone from every view; their history stays in the event store.
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
    /// <summary>The role's id in the system it was imported from (null: defined here).</summary>
    public string? ExternalId { get; init; }
    public IReadOnlyList<string> Accountabilities { get; init; } = [];
    public IReadOnlyList<HeldDomain> Domains { get; init; } = [];
    public IReadOnlyList<Filler> Fillers { get; init; } = [];
    /// <summary>Policies this circle adopted (empty for plain roles).</summary>
    public IReadOnlyList<Policy> Policies { get; init; } = [];
    /// <summary>The Secretary's interpretation rulings in force in this circle (§4.2.1).</summary>
    public IReadOnlyList<Ruling> Rulings { get; init; } = [];
    /// <summary>Filler person ids, duplicated for the "roles of a person" query.</summary>
    public IReadOnlyList<Guid> FillerIds { get; init; } = [];

    public bool IsAnchorCircle => CircleId is null;

    /// <summary>The order roles are listed in: by name, case-insensitively, then exactly, then by id (so pages never overlap).</summary>
    public static readonly IComparer<Role> ByName = Comparer<Role>.Create((a, b) =>
    {
        var order = StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name);
        if (order == 0) order = StringComparer.Ordinal.Compare(a.Name, b.Name);
        return order != 0 ? order : a.Id.CompareTo(b.Id);
    });

    public bool HoldsDomain(string key) => Domains.Any(d => d.Key == key);

    public Role WithFillers(IReadOnlyList<Filler> fillers) =>
        this with { Fillers = fillers, FillerIds = [.. fillers.Select(f => f.PersonId)] };

    /// <summary>The role after one event of its stream: created, changed, or null once removed.</summary>
    public static Role? Fold(Role? role, IRoleEvent e) => e switch
    {
        RoleCreated x => Created(x),
        RoleRemoved => null,
        _ when role is null => null,
        RoleRenamed x => role with { Name = x.Name },
        RolePurposeChanged x => role with { Purpose = x.Purpose },
        AccountabilityAdded x => role with { Accountabilities = [.. role.Accountabilities, x.Text] },
        AccountabilityRemoved x => role with { Accountabilities = [.. role.Accountabilities.Where(a => a != x.Text)] },
        DomainDelegated x => role with { Domains = [.. role.Domains, new HeldDomain(x.Key, x.Title, x.Keywords)] },
        DomainRevoked x => role with { Domains = [.. role.Domains.Where(d => d.Key != x.Key)] },
        RoleConvertedToCircle x => role with { IsCircle = true, CircleLeadRoleId = x.CircleLeadRoleId },
        CircleConvertedToRole => role with { IsCircle = false, CircleLeadRoleId = null, Policies = [], Rulings = [] },
        RoleMoved x => role with { CircleId = x.ToCircleId },
        PersonAssignedToRole x => role.WithFillers([.. role.Fillers, new Filler(x.PersonId, x.Focus)]),
        PersonElectedToRole x => role.WithFillers([.. role.Fillers.Where(f => f.PersonId != x.PersonId), new Filler(x.PersonId, null, x.TermEnds)]),
        PersonUnassignedFromRole x => role.WithFillers([.. role.Fillers.Where(f => f.PersonId != x.PersonId)]),
        AssignmentFocusChanged x => role.WithFillers([.. role.Fillers.Select(f => f.PersonId == x.PersonId ? f with { Focus = x.Focus } : f)]),
        PolicyAdopted x => role with { Policies = [.. role.Policies, new Policy(x.PolicyId, x.Title, x.Text, x.DomainKey, x.Grants, x.MinimumResponseHours)] },
        PolicyAmended x => role with
        {
            Policies = [.. role.Policies.Select(p => p.Id == x.PolicyId ? new Policy(x.PolicyId, x.Title, x.Text, x.DomainKey, x.Grants, x.MinimumResponseHours) : p)],
        },
        PolicyRemoved x => role with { Policies = [.. role.Policies.Where(p => p.Id != x.PolicyId)] },
        InterpretationRuled x => role with { Rulings = [.. role.Rulings, new Ruling(x.RulingId, x.Question, x.Ruling, x.DomainKey, x.SecretaryId, x.RuledAt)] },
        InterpretationRulingWithdrawn x => role with { Rulings = [.. role.Rulings.Where(r => r.Id != x.RulingId)] },
        _ => throw new UnfoldedEventException(e),
    };

    private static Role Created(RoleCreated e) => new()
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
        ExternalId = e.ExternalId,
    };
}

public sealed record HeldDomain(string Key, string Title, IReadOnlyList<string> Keywords);

/// <summary>Who fills a role; elected fillers serve until <c>TermEnds</c> (§5.3.5).</summary>
public sealed record Filler(Guid PersonId, string? Focus, DateTimeOffset? TermEnds = null);

/// <summary>An interpretation ruling of the circle's Secretary (§4.2.1).</summary>
public sealed record Ruling(Guid Id, string Question, string Text, string? DomainKey, Guid? SecretaryId, DateTimeOffset RuledAt);

public sealed record Policy(Guid Id, string Title, string Text, string? DomainKey, IReadOnlyList<PolicyGrant> Grants, int? MinimumResponseHours = null);

