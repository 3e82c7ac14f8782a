using Governance.DecisionRights;
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
    public static async Task<IResult> GetRole(Guid orgId, Guid roleId, string? asOf, IQuerySession session, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = TimeTravel.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        if (instant is { } at)
        {
            return await registry.ReadAsync(view =>
            {
                var past = view.At(orgId, at);
                return past.Roles.TryGetValue(roleId, out var then)
                    ? Results.Ok(Describe(then, ParentIn(then, past.Roles), past.People, at))
                    : Registry.RoleNotFound(roleId).ToResult();
            }, ct, readAfter: at);
        }
        if (await session.RoleAsync(orgId, roleId, ct) is not { } role) return Registry.RoleNotFound(roleId).ToResult();
        return Results.Ok(await DescribeAsync(role, session, ct));
    }

    [WolverineGet("/api/orgs/{orgId}/circles/{circleId}"), Tags("Registry")]
    [ProducesResponseType<CircleResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> GetCircle(Guid orgId, Guid circleId, string? asOf, IQuerySession session, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = TimeTravel.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        if (instant is { } at)
        {
            return await registry.ReadAsync(view =>
            {
                var past = view.At(orgId, at);
                if (!past.Roles.TryGetValue(circleId, out var then) || !then.IsCircle) return Registry.CircleNotFound(circleId).ToResult();
                return Results.Ok(CircleOf(Describe(then, ParentIn(then, past.Roles), past.People, at),
                    past.GovernanceVersions.GetValueOrDefault(circleId), past.Roles.Values.Where(r => r.CircleId == circleId)));
            }, ct, readAfter: at);
        }
        if (await session.RoleAsync(orgId, circleId, ct) is not { IsCircle: true } circle)
        {
            return Registry.CircleNotFound(circleId).ToResult();
        }
        var role = await DescribeAsync(circle, session, ct);
        var version = await GovernanceLog.VersionAsync(session, circleId, ct);
        var roles = await session.Query<Role>().Where(r => r.CircleId == circleId).ToListAsync(ct);
        return Results.Ok(CircleOf(role, version, roles));
    }

    [WolverineGet("/api/orgs/{orgId}/roles"), Tags("Registry")]
    [ProducesResponseType<RolePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> ListRoles(
        Guid orgId, string? q, Guid? circleId, string? asOf, int? limit, string? next, IQuerySession session, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = TimeTravel.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        var pageSize = limit ?? 50;
        if (pageSize is < 1 or > 500) return Problem.BadRequest("invalid-limit", "limit must be between 1 and 500.").ToResult();
        var page = 1;
        if (next is not null && (!int.TryParse(next, out page) || page < 1))
        {
            return Problem.BadRequest("invalid-cursor", "next must be a value returned by a previous page.").ToResult();
        }
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (instant is { } at)
        {
            return await registry.ReadAsync(view =>
            {
                var past = view.At(orgId, at);
                if (past.Organisation is null) return Registry.OrganisationNotFound(orgId).ToResult();
                var matching = past.Roles.Values
                    .Where(r => circleId is null || r.CircleId == circleId)
                    .Where(r => text is null || r.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || r.Purpose.Contains(text, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
                var slice = matching.Skip((page - 1) * pageSize).Take(pageSize);
                return Results.Ok(new RolePage([.. slice.Select(Summarise)], matching.Count > page * pageSize ? (page + 1).ToString() : null));
            }, ct, readAfter: at);
        }
        if (await session.OrganisationAsync(orgId, ct) is null) return Registry.OrganisationNotFound(orgId).ToResult();

        var query = session.Query<Role>().Where(r => r.OrgId == orgId);
        if (circleId is { } circle) query = query.Where(r => r.CircleId == circle);
        if (text is not null)
        {
            query = query.Where(r => r.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || r.Purpose.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
        var results = await query.OrderBy(r => r.Name).ThenBy(r => r.Id).ToPagedListAsync(page, pageSize, ct);
        return Results.Ok(new RolePage([.. results.Select(Summarise)], results.HasNextPage ? (page + 1).ToString() : null));
    }

    private static CircleResponse CircleOf(RoleResponse role, long version, IEnumerable<Role> roles) =>
        new(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities, role.Domains, role.Policies, role.Fillers, role.ElectedRole, version,
            [.. roles.OrderByDescending(r => r.IsCircleLead).ThenBy(r => r.Name, StringComparer.Ordinal).Select(Summarise)]);

    private static Role? ParentIn(Role role, IReadOnlyDictionary<Guid, Role> roles) =>
        role.CircleId is { } parent ? roles.GetValueOrDefault(parent) : null;

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

    private static async Task<RoleResponse> DescribeAsync(Role role, IQuerySession session, CancellationToken ct)
    {
        var parent = role.CircleId is { } parentId ? await session.LoadAsync<Role>(parentId, ct) : null;
        var fillers = role.IsCircleLead && parent is not null ? parent.Fillers : role.Fillers;
        return Describe(role, parent, await session.PeopleAsync(fillers.Select(f => f.PersonId), ct), DateTimeOffset.UtcNow);
    }

    /// <summary>The role as the contract shows it; a Circle Lead role is filled by whoever fills its circle (§1.4).</summary>
    private static RoleResponse Describe(Role role, Role? parent, IReadOnlyDictionary<Guid, Person> people, DateTimeOffset at)
    {
        var fillers = role.IsCircleLead && parent is not null ? parent.Fillers : role.Fillers;
        return new RoleResponse(role.Id, role.Name, role.Purpose, role.CircleId, role.IsCircle, role.IsCircleLead,
            role.Accountabilities,
            [.. role.Domains.Select(d => new DomainResponse(d.Key, d.Title, d.Keywords))],
            PoliciesGoverning(role, parent),
            [.. fillers.Select(f => new FillerResponse(f.PersonId, people.GetValueOrDefault(f.PersonId)?.Name ?? "", f.Focus, f.TermEnds, f.TermEnds <= at))],
            role.ElectedRole);
    }
}
