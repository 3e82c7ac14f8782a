using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.People;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Governance.Roles;

public sealed record DomainResponse(string Key, string Title, IReadOnlyList<string> Keywords);

public sealed record PolicyResponse(Guid Id, string Title, string Text, Guid CircleId, string? DomainKey, IReadOnlyList<PolicyGrant> Grants)
{
    public static PolicyResponse From(Policy p, Guid circleId) => new(p.Id, p.Title, p.Text, circleId, p.DomainKey, p.Grants);
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
    long Version, IReadOnlyList<RoleSummary> Roles);

public sealed record RolePage(IReadOnlyList<RoleSummary> Items, string? Next);

public static class ReadingRoles
{
    [WolverineGet("/api/orgs/{orgId}/roles/{roleId}"), Tags("Registry")]
    [ProducesResponseType<RoleResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> GetRole(Guid orgId, Guid roleId, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (TimeTravel.Refuse(asOf) is { } refused) return refused.ToResult();
        if (await session.RoleAsync(orgId, roleId, ct) is not { } role) return Registry.RoleNotFound(roleId).ToResult();
        return Results.Ok(await DescribeAsync(role, session, ct));
    }

    [WolverineGet("/api/orgs/{orgId}/circles/{circleId}"), Tags("Registry")]
    [ProducesResponseType<CircleResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> GetCircle(Guid orgId, Guid circleId, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (TimeTravel.Refuse(asOf) is { } refused) return refused.ToResult();
        if (await session.RoleAsync(orgId, circleId, ct) is not { IsCircle: true } circle)
        {
            return Registry.CircleNotFound(circleId).ToResult();
        }
        var role = await DescribeAsync(circle, session, ct);
        var version = await GovernanceLog.VersionAsync(session, circleId, ct);
        var roles = await session.Query<Role>().Where(r => r.CircleId == circleId).ToListAsync(ct);
        return Results.Ok(new CircleResponse(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities, role.Domains, role.Policies, role.Fillers, role.ElectedRole, version,
            [.. roles.OrderByDescending(r => r.IsCircleLead).ThenBy(r => r.Name, StringComparer.Ordinal).Select(Summarise)]));
    }

    [WolverineGet("/api/orgs/{orgId}/roles"), Tags("Registry")]
    [ProducesResponseType<RolePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> ListRoles(
        Guid orgId, string? q, Guid? circleId, string? asOf, int? limit, string? next, IQuerySession session, CancellationToken ct)
    {
        if (TimeTravel.Refuse(asOf) is { } refused) return refused.ToResult();
        if (await session.OrganisationAsync(orgId, ct) is null) return Registry.OrganisationNotFound(orgId).ToResult();
        var pageSize = limit ?? 50;
        if (pageSize is < 1 or > 500) return Problem.BadRequest("invalid-limit", "limit must be between 1 and 500.").ToResult();
        var page = 1;
        if (next is not null && (!int.TryParse(next, out page) || page < 1))
        {
            return Problem.BadRequest("invalid-cursor", "next must be a value returned by a previous page.").ToResult();
        }

        var query = session.Query<Role>().Where(r => r.OrgId == orgId);
        if (circleId is { } circle) query = query.Where(r => r.CircleId == circle);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(r => r.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || r.Purpose.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
        var results = await query.OrderBy(r => r.Name).ThenBy(r => r.Id).ToPagedListAsync(page, pageSize, ct);
        return Results.Ok(new RolePage([.. results.Select(Summarise)], results.HasNextPage ? (page + 1).ToString() : null));
    }

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
    private static async Task<RoleResponse> DescribeAsync(Role role, IQuerySession session, CancellationToken ct)
    {
        var fillers = role.Fillers;
        if (role.IsCircleLead && role.CircleId is { } circleId && await session.LoadAsync<Role>(circleId, ct) is { } circle)
        {
            fillers = circle.Fillers;
        }
        var people = await session.PeopleAsync(fillers.Select(f => f.PersonId), ct);
        var parent = role.CircleId is { } parentId ? await session.LoadAsync<Role>(parentId, ct) : null;
        return new RoleResponse(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities,
            [.. role.Domains.Select(d => new DomainResponse(d.Key, d.Title, d.Keywords))],
            PoliciesGoverning(role, parent),
            [.. fillers.Select(f => new FillerResponse(f.PersonId, people.GetValueOrDefault(f.PersonId)?.Name ?? "", f.Focus, f.TermEnds, f.TermEnds <= DateTimeOffset.UtcNow))],
            role.ElectedRole);
    }
}
