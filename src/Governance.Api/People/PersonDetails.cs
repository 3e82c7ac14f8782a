using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Marten;

namespace Governance.People;

/// <summary>
/// A person's name, e-mail address and external id as a request gives them: the checks POST and
/// PATCH people share, and the uniqueness of the address and the id within the organisation.
/// </summary>
public static class PersonDetails
{
    public static (string Name, Problem? Problem) Name(string? given)
    {
        var name = given?.Trim() ?? "";
        return name.Length is 0 or > GovernanceRules.MaxNameLength
            ? ("", Problem.BadRequest("invalid-name", $"A person needs a name of 1 to {GovernanceRules.MaxNameLength} characters."))
            : (name, null);
    }

    public static (string Email, Problem? Problem) Email(string? given)
    {
        var email = given?.Trim() ?? "";
        return JoiningPeople.IsEmail(email) ? (email, null) : ("", Problem.BadRequest("invalid-email", $"'{email}' is not an e-mail address."));
    }

    /// <summary>A blank external id is none (null).</summary>
    public static (string? ExternalId, Problem? Problem) ExternalId(string? given)
    {
        var externalId = string.IsNullOrWhiteSpace(given) ? null : given.Trim();
        return externalId?.Length > JoiningPeople.MaxExternalIdLength
            ? (null, Problem.BadRequest("invalid-external-id", $"An external id takes at most {JoiningPeople.MaxExternalIdLength} characters."))
            : (externalId, null);
    }

    /// <summary>
    /// Someone else in the organisation (than <paramref name="personId"/>; <see cref="Guid.Empty"/>: anyone) already
    /// uses the address or the id: a 409. Checked here for a clear answer; two requests racing for one are kept apart
    /// by the unique indexes (PeopleSetup), whose violation is a 409 too.
    /// </summary>
    public static async Task<Problem?> TakenAsync(IQuerySession session, Guid orgId, Guid personId, string? email, string? externalId, CancellationToken ct)
    {
        if (email is not null)
        {
            var normalized = Person.Normalize(email);
            if (await session.Query<Person>().AnyAsync(p => p.OrgId == orgId && p.NormalizedEmail == normalized && p.Id != personId, ct))
            {
                return Problem.Conflict("email-taken", $"Someone in this organisation already uses {email}.");
            }
        }
        if (externalId is not null && await session.Query<Person>().AnyAsync(p => p.OrgId == orgId && p.ExternalId == externalId && p.Id != personId, ct))
        {
            return Problem.Conflict("external-id-taken", $"Someone in this organisation already has the external id {externalId}.");
        }
        return null;
    }
}
