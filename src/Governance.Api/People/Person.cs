using Marten.Events.Projections;

namespace Governance.People;

/// <summary>
/// A person of an organisation (people never change once joined). The roles a person fills are
/// the roles whose <c>FillerIds</c> name them, so assignments never read-modify-write this document.
/// </summary>
public sealed record Person(Guid Id, Guid OrgId, string Name, string Email, string NormalizedEmail, string? ExternalId = null)
{
    public static Person Create(PersonJoined e) => new(e.PersonId, e.OrgId, e.Name, e.Email, Normalize(e.Email), e.ExternalId);

    /// <summary>E-mail addresses compare case-insensitively.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();
}

public sealed partial class PersonProjection : EventProjection
{
    public static Person Create(PersonJoined e) => Person.Create(e);
}
