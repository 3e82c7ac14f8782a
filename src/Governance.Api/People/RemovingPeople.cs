using Governance.Identity;
using Governance.Infrastructure;
using Governance.Organisations;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.People;

/// <summary>
/// A person leaves the organisation. Every assignment ends by its own <c>PersonUnassignedFromRole</c>
/// (an elected role's too: it is unfilled until the next election), an admin's standing ends by
/// <c>AdminRevoked</c>, then <c>PersonRemoved</c>, all in one transaction: the roles they filled fall
/// back to their Circle Lead at once (§1.4.2). Their history stays in the record.
/// </summary>
public static class RemovingPeople
{
    /// <summary>Remove a person from the organisation, ending each of their assignments.</summary>
    [WolverineDelete("/api/orgs/{orgId}/people/{personId}", OperationId = "removePerson"), Tags("People")]
    [Requires(Right.Administer)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(Guid orgId, Guid personId, IDocumentSession session, CancellationToken ct)
    {
        // The person's lock first: assignments and elections of them take it first too, so none can be added meanwhile.
        if (await PersonStreams.LockAsync(session, orgId, personId, ct) is null) return Unknown.Person(personId).ToResult();
        var organisation = await session.Events.FetchForExclusiveWriting<Organisation>(orgId, ct);
        if (organisation.Aggregate?.Admins is { } admins && admins.Contains(personId))
        {
            if (admins.Count == 1)
            {
                return Problem.Conflict("last-admin", "The organisation's last admin stays; make someone else an admin first.").ToResult();
            }
            organisation.AppendOne(new AdminRevoked(orgId, personId));
        }
        var filled = await session.Query<Role>().Where(r => r.OrgId == orgId && r.FillerIds.Contains(personId)).Select(r => r.Id).ToListAsync(ct);
        // In id order, as governance batches lock roles, so the two never deadlock.
        foreach (var roleId in filled.Order())
        {
            var role = await session.Events.FetchForExclusiveWriting<Role>(roleId, ct);
            if (role.Aggregate?.FillerIds.Contains(personId) == true) role.AppendOne(new PersonUnassignedFromRole(roleId, personId));
        }
        // Appended last, so sequenced after the assignments it ends (the organisation's and roles' streams were fetched first).
        session.Events.Append(personId, new PersonRemoved(personId));
        return TypedResults.NoContent();
    }
}
