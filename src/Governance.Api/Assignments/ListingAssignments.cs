using Governance.Identity;
using Governance.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Assignments;

/// <summary>Who fills a role, with their focus; an elected filler's term too (null otherwise).</summary>
public sealed record RoleAssignment(Guid PersonId, string Name, string? Focus, DateTimeOffset? TermEnds);

/// <summary>A role's assignments as they stand or stood (<c>asOf</c>).</summary>
public static class ListingAssignments
{
    /// <summary>The people who fill a role, each with their focus; a Circle Lead role's are its circle's fillers (§1.4).</summary>
    [WolverineGet("/api/orgs/{orgId}/roles/{roleId}/assignments", OperationId = "listAssignments"), Tags("Assignments")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<List<RoleAssignment>>, ProblemHttpResult>> List(Guid orgId, Guid roleId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => AssignmentsIn(snapshot, roleId), ct);
    }

    /// <summary>In the order they were assigned.</summary>
    public static Results<Ok<List<RoleAssignment>>, ProblemHttpResult> AssignmentsIn(IRegistrySnapshot? snapshot, Guid roleId)
    {
        if (snapshot?.Roles.GetValueOrDefault(roleId) is not { } role) return Unknown.Role(roleId).ToResult();
        var fillers = role.IsCircleLead && role.CircleId is { } circleId && snapshot.Roles.GetValueOrDefault(circleId) is { } circle ? circle.Fillers : role.Fillers;
        return TypedResults.Ok(fillers.Select(f => new RoleAssignment(f.PersonId, snapshot.People.GetValueOrDefault(f.PersonId)?.Name ?? "", f.Focus, f.TermEnds)).ToList());
    }
}
