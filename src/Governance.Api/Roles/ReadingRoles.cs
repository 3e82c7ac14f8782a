using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Roles;

public sealed record DomainResponse(string Key, string Title, IReadOnlyList<string> Keywords);

public sealed record PolicyResponse(
    Guid Id, string Title, string Text, Guid CircleId, string? DomainKey, IReadOnlyList<PolicyGrant> Grants,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? MinimumResponseHours = null)
{
    public static PolicyResponse From(Policy p, Guid circleId) => new(p.Id, p.Title, p.Text, circleId, p.DomainKey, p.Grants, p.MinimumResponseHours);
}

public sealed record FillerResponse(Guid PersonId, string Name, string? Focus, DateTimeOffset? TermEnds = null, bool TermExpired = false);

public sealed record RoleResponse(
    Guid Id, string Name, string Purpose, Guid? CircleId, bool IsCircle, bool IsCircleLead,
    IReadOnlyList<string> Accountabilities, IReadOnlyList<DomainResponse> Domains,
    IReadOnlyList<PolicyResponse> Policies, IReadOnlyList<FillerResponse> Fillers, string? ElectedRole = null);

public sealed record RoleSummary(Guid Id, string Name, string Purpose, Guid? CircleId, bool IsCircle, bool IsCircleLead);

public sealed record CircleResponse(
    Guid Id, string Name, string Purpose, Guid? CircleId, bool IsCircle, bool IsCircleLead,
    IReadOnlyList<string> Accountabilities, IReadOnlyList<DomainResponse> Domains,
    IReadOnlyList<PolicyResponse> Policies, IReadOnlyList<FillerResponse> Fillers, string? ElectedRole,
    long Version, IReadOnlyList<RoleSummary> Roles, IReadOnlyList<Rulings.RulingResponse> Rulings);

public sealed record RolePage(IReadOnlyList<RoleSummary> Items, string? Next);

/// <summary>Roles and circles as they stand or stood (<c>asOf</c>): one read of the registry snapshot either way.</summary>
public static class ReadingRoles
{
    /// <summary>A role: purpose, domains, accountabilities, policies and fillers.</summary>
    [WolverineGet("/api/orgs/{orgId}/roles/{roleId}", OperationId = "getRole"), Tags("Registry")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<RoleResponse>, ProblemHttpResult>> GetRole(Guid orgId, Guid roleId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => RoleIn(snapshot, roleId), ct);
    }

    /// <summary>A circle: its own definition, its governance version and its roles.</summary>
    [WolverineGet("/api/orgs/{orgId}/circles/{circleId}", OperationId = "getCircle"), Tags("Registry")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<CircleResponse>, ProblemHttpResult>> GetCircle(Guid orgId, Guid circleId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => CircleIn(snapshot, circleId), ct);
    }

    /// <summary>The roles of the organisation or of one circle, by name, a page at a time.</summary>
    [WolverineGet("/api/orgs/{orgId}/roles", OperationId = "listRoles"), Tags("Registry")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<RolePage>, ProblemHttpResult>> ListRoles(
        Guid orgId, string? q, Guid? circleId, string? asOf, int? limit, string? next, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        var pageSize = limit ?? 50;
        if (pageSize is < 1 or > 500) return Problem.BadRequest("invalid-limit", "limit must be between 1 and 500.").ToResult();
        var page = 1;
        if (next is not null && (!int.TryParse(next, out page) || page < 1))
        {
            return Problem.BadRequest("invalid-cursor", "next must be a value returned by a previous page.").ToResult();
        }
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        return await registry.ReadAsync(orgId, instant, snapshot => PageIn(snapshot, orgId, text, circleId, page, pageSize), ct);
    }

    public static Results<Ok<RoleResponse>, ProblemHttpResult> RoleIn(IRegistrySnapshot? snapshot, Guid roleId) =>
        snapshot?.Roles.GetValueOrDefault(roleId) is { } role ? TypedResults.Ok(Describe(role, snapshot)) : Unknown.Role(roleId).ToResult();

    public static Results<Ok<CircleResponse>, ProblemHttpResult> CircleIn(IRegistrySnapshot? snapshot, Guid circleId) =>
        snapshot?.Roles.GetValueOrDefault(circleId) is { IsCircle: true } circle
            ? TypedResults.Ok(CircleOf(Describe(circle, snapshot), snapshot.GovernanceVersion(circleId),
                snapshot.RolesIn(circleId).OrderByDescending(r => r.IsCircleLead).ThenBy(r => r, Role.ByName), circle.Rulings))
            : Unknown.Circle(circleId).ToResult();

    /// <summary>One page of the roles whose name or purpose contains the text, in <see cref="Role.ByName"/> order.</summary>
    public static Results<Ok<RolePage>, ProblemHttpResult> PageIn(IRegistrySnapshot? snapshot, Guid orgId, string? text, Guid? circleId, int page, int pageSize)
    {
        if (snapshot is null) return Unknown.Organisation(orgId).ToResult();
        var matching = (circleId is { } circle ? snapshot.RolesIn(circle) : snapshot.Roles.Values)
            .Where(r => text is null || r.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || r.Purpose.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Order(Role.ByName).ToList();
        var slice = matching.Skip((page - 1) * pageSize).Take(pageSize);
        return TypedResults.Ok(new RolePage([.. slice.Select(Summarise)],
            matching.Count > page * pageSize ? (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static CircleResponse CircleOf(RoleResponse role, long version, IEnumerable<Role> roles, IReadOnlyList<Ruling> rulings) =>
        new(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities, role.Domains, role.Policies, role.Fillers, role.ElectedRole, version, [.. roles.Select(Summarise)],
            [.. rulings.Select(r => Rulings.RulingResponse.Of(r, role.Id))]);

    public static RoleSummary Summarise(Role r) => new(r.Id, r.Name, r.Purpose, r.CircleId, r.IsCircle, r.IsCircleLead);

    /// <summary>
    /// A circle's own policies, then those of the role's circle that regulate one of its domains or
    /// grant it authority.
    /// </summary>
    private static IReadOnlyList<PolicyResponse> PoliciesGoverning(Role role, Role? parent) =>
    [
        .. role.Policies.Select(p => PolicyResponse.From(p, role.Id)),
        .. (parent?.Policies ?? [])
            .Where(p => p.Grants.Any(g => g.RoleId == role.Id)
                || (p.DomainKey is { } key && role.Domains.Any(d => DomainKey.Overlaps(d.Key, key))))
            .Select(p => PolicyResponse.From(p, parent!.Id)),
    ];

    /// <summary>The role as the contract shows it; a Circle Lead role is filled by whoever fills its circle (§1.4).</summary>
    private static RoleResponse Describe(Role role, IRegistrySnapshot snapshot)
    {
        var parent = role.CircleId is { } parentId ? snapshot.Roles.GetValueOrDefault(parentId) : null;
        var fillers = role.IsCircleLead && parent is not null ? parent.Fillers : role.Fillers;
        return new RoleResponse(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities,
            [.. role.Domains.Select(d => new DomainResponse(d.Key, d.Title, d.Keywords))],
            PoliciesGoverning(role, parent),
            [.. fillers.Select(f => new FillerResponse(f.PersonId, snapshot.People.GetValueOrDefault(f.PersonId)?.Name ?? "", f.Focus, f.TermEnds, f.TermEnds <= snapshot.AsOf))],
            role.ElectedRole);
    }
}
