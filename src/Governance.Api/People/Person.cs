using Marten.Events.Projections;

namespace Governance.People;

/// <summary>
/// A person of an organisation (people never change once joined). The roles a person fills are
/// the roles whose <c>FillerIds</c> name them, so assignments never read-modify-write this document.
/// </summary>
public sealed record Person(Guid Id, Guid OrgId, string Name, string Email, string NormalizedEmail)
{
    public static Person Create(PersonJoined e) => new(e.PersonId, e.OrgId, e.Name, e.Email, e.Email.Trim().ToUpperInvariant());
}

public sealed partial class PersonProjection : EventProjection
{
    public static Person Create(PersonJoined e) => Person.Create(e);
}
