using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Assignments;

/// <summary>The new focus of an assignment; null (or blank): none.</summary>
public sealed record ChangeFocus(string? Focus);

/// <summary>The Circle Lead changes the focus of an assignment in place (§1.4.1): the person keeps filling the role.</summary>
public static class ChangingFocus
{
    /// <summary>Change the focus of a person's assignment to a role (§1.4.1).</summary>
    [WolverinePatch("/api/orgs/{orgId}/roles/{roleId}/assignments/{personId}", OperationId = "changeFocus"), Tags("Assignments")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> Change(
        Guid orgId, Guid roleId, Guid personId, ChangeFocus request, Caller caller, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Role>(roleId, ct);
        if (stream.Aggregate is not { } role || role.OrgId != orgId) return Unknown.Role(roleId).ToResult();
        if (await AssigningPeople.MayAssignAsync(caller, role, session, ct) is { } notTheirs) return notTheirs.ToResult();
        var (focus, badFocus) = AssigningPeople.Focus(request.Focus);
        if (badFocus is not null) return badFocus.ToResult();
        // Elected roles have terms, not a focus: the Circle Lead does not assign them (§5.3.5).
        if (AssigningPeople.CannotBeAssigned(role) is { } refused) return refused.ToResult();
        if (role.Fillers.FirstOrDefault(f => f.PersonId == personId) is not { } filler)
        {
            return Problem.NotFound("assignment-not-found", $"Person {personId} does not fill '{role.Name}'.").ToResult();
        }
        if (filler.Focus != focus) stream.AppendOne(new AssignmentFocusChanged(roleId, personId, focus));
        return TypedResults.Ok(new AssignmentResponse(roleId, personId, focus));
    }
}
