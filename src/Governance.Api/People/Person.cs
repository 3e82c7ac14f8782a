using Marten.Events.Projections;

namespace Governance.People;

/// <summary>
/// Registry view of a person. The roles a person fills are read from the role views (their
/// <c>FillerIds</c>), so assignments never read-modify-write this document.
/// </summary>
public sealed record Person(Guid Id, Guid OrgId, string Name, string Email, string NormalizedEmail)
{
    public static Person Create(PersonJoined e) => new(e.PersonId, e.OrgId, e.Name, e.Email, e.Email.Trim().ToUpperInvariant());
}

public sealed partial class PersonProjection : EventProjection
{
    public static Person Create(PersonJoined e) => Person.Create(e);
}
