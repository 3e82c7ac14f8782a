using Governance.Identity;
using Governance.Infrastructure;
using Governance.People;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Assignments;

public sealed record AssignPerson(Guid PersonId, string? Focus = null);

public sealed record AssignmentResponse(Guid RoleId, Guid PersonId, string? Focus);

/// <summary>
/// The Circle Lead's operational decision of who fills a role (§1.4.1): several people at once,
/// each with an optional focus. Filling a circle's role makes the person its Circle Lead (§1.4).
/// Writers to one role take its stream lock in turn, so simultaneous assignments queue up rather
/// than fail, and the "already fills" check cannot be raced; the person's lock comes first, as
/// removing a person takes it (PersonStreams).
/// </summary>
public static class AssigningPeople
{
    public const int MaxFocusLength = 200;

    /// <summary>Assign a person to a role, optionally with a focus (§1.4.1).</summary>
    [WolverinePost("/api/orgs/{orgId}/roles/{roleId}/assignments", OperationId = "assignPerson"), Tags("Assignments")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<AssignmentResponse>, ProblemHttpResult>> Assign(
        Guid orgId, Guid roleId, AssignPerson request, Caller caller, IDocumentSession session, CancellationToken ct)
    {
        // The person's lock before the role's (as a removal of the person takes them): a removed person is never assigned.
        var person = await PersonStreams.LockAsync(session, orgId, request.PersonId, ct);
        var stream = await session.Events.FetchForExclusiveWriting<Role>(roleId, ct);
        if (stream.Aggregate is not { } role || role.OrgId != orgId) return Unknown.Role(roleId).ToResult();
        if (person is null) return Unknown.Person(request.PersonId).ToResult();
        if (await MayAssignAsync(caller, role, session, ct) is { } notTheirs) return notTheirs.ToResult();
        var (focus, badFocus) = Focus(request.Focus);
        if (badFocus is not null) return badFocus.ToResult();
        if (CannotBeAssigned(role) is { } refused) return refused.ToResult();
        if (role.Fillers.Any(f => f.PersonId == request.PersonId))
        {
            return Problem.Conflict("already-assigned", $"The person already fills '{role.Name}'; change its focus with PATCH .../assignments/{request.PersonId}.").ToResult();
        }
        stream.AppendOne(new PersonAssignedToRole(roleId, request.PersonId, focus));
        return TypedResults.Created($"/api/orgs/{orgId}/roles/{roleId}/assignments/{request.PersonId}",
            new AssignmentResponse(roleId, request.PersonId, focus));
    }

    /// <summary>End a person's assignment to a role.</summary>
    [WolverineDelete("/api/orgs/{orgId}/roles/{roleId}/assignments/{personId}", OperationId = "unassignPerson"), Tags("Assignments")]
    [Requires(Right.Write)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Unassign(
        Guid orgId, Guid roleId, Guid personId, Caller caller, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Role>(roleId, ct);
        if (stream.Aggregate is not { } role || role.OrgId != orgId) return Unknown.Role(roleId).ToResult();
        if (await MayAssignAsync(caller, role, session, ct) is { } notTheirs) return notTheirs.ToResult();
        if (!role.Fillers.Any(f => f.PersonId == personId))
        {
            return Problem.NotFound("assignment-not-found", $"Person {personId} does not fill '{role.Name}'.").ToResult();
        }
        stream.AppendOne(new PersonUnassignedFromRole(roleId, personId));
        return TypedResults.NoContent();
    }

    /// <summary>A focus as a request gives it: blank is none (null); at most <see cref="MaxFocusLength"/> characters.</summary>
    public static (string? Focus, Problem? Problem) Focus(string? given)
    {
        var focus = string.IsNullOrWhiteSpace(given) ? null : given.Trim();
        return focus?.Length > MaxFocusLength
            ? (null, Problem.BadRequest("invalid-focus", $"A focus takes at most {MaxFocusLength} characters."))
            : (focus, null);
    }

    /// <summary>§1.4.1: the Circle Lead of the role's circle (or an admin) decides who fills it.</summary>
    public static async Task<Problem?> MayAssignAsync(Caller caller, Role role, IQuerySession session, CancellationToken ct) =>
        Authority.MayAssign(caller, role.CircleId is { } circleId ? await session.RoleAsync(role.OrgId, circleId, ct) : null);

    /// <summary>Roles nobody may be assigned to directly.</summary>
    public static Problem? CannotBeAssigned(Role role) => role switch
    {
        { IsCircleLead: true } => Problem.Violation("circle-lead-assigned-by-super-circle", "The Circle Lead role is not assigned directly.",
            "Whoever fills the circle's role in its super-circle is its Circle Lead; assign the person to the circle itself.", "§1.4"),
        { ElectedRole: { } elected } => Problem.Violation("elected-role", $"{ElectedRoles.DisplayName(elected)} is filled only by election.",
            "Hold an election in the circle (POST .../elections) instead of assigning the role.", "§5.3.5"),
        { IsAnchorCircle: true } => Problem.Violation("anchor-circle-has-no-lead", "The Anchor Circle has no Circle Lead.",
            "The Anchor Circle has no Circle Lead unless a policy of the organisation says so.", "§1.4"),
        _ => null,
    };
}
