using Governance.Identity;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.People;

/// <summary>What to change of a person; a field left out (or null) stays as it is; <c>externalId: ""</c> removes the external id.</summary>
public sealed record UpdatePerson(string? Name = null, string? Email = null, string? ExternalId = null);

/// <summary>Admins keep the people of the organisation up to date: each changed detail is an event of its own.</summary>
public static class UpdatingPeople
{
    /// <summary>Change a person's name, e-mail address or external id.</summary>
    [WolverinePatch("/api/orgs/{orgId}/people/{personId}", OperationId = "updatePerson"), Tags("People")]
    [Requires(Right.Administer)]
    public static async Task<Results<Ok<PersonSummary>, ProblemHttpResult>> Update(
        Guid orgId, Guid personId, UpdatePerson request, IDocumentSession session, CancellationToken ct)
    {
        if (await PersonStreams.LockAsync(session, orgId, personId, ct) is not { } person) return Unknown.Person(personId).ToResult();
        var (name, email, externalId) = (person.Name, person.Email, person.ExternalId);
        if (request.Name is not null)
        {
            (name, var bad) = PersonDetails.Name(request.Name);
            if (bad is not null) return bad.ToResult();
        }
        if (request.Email is not null)
        {
            (email, var bad) = PersonDetails.Email(request.Email);
            if (bad is not null) return bad.ToResult();
        }
        if (request.ExternalId is not null)
        {
            (externalId, var bad) = PersonDetails.ExternalId(request.ExternalId);
            if (bad is not null) return bad.ToResult();
        }
        var emailChanged = email != person.Email;
        var externalIdChanged = externalId != person.ExternalId;
        if (await PersonDetails.TakenAsync(session, orgId, personId, emailChanged ? email : null, externalIdChanged ? externalId : null, ct) is { } taken)
        {
            return taken.ToResult();
        }

        if (name != person.Name) session.Events.Append(personId, new PersonRenamed(personId, name));
        if (emailChanged) session.Events.Append(personId, new PersonEmailChanged(personId, email));
        if (externalIdChanged) session.Events.Append(personId, new PersonExternalIdChanged(personId, externalId));
        return TypedResults.Ok(new PersonSummary(personId, name, email, externalId));
    }
}
