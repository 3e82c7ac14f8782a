using Governance.Infrastructure;
using Governance.Registry;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Governance.People;

/// <summary>
/// A person of an organisation as their stream has made them (null once removed: a removed person
/// is gone from every view; their history stays in the event store). The roles a person fills are
/// the roles whose <c>FillerIds</c> name them, so assignments never read-modify-write this document.
/// </summary>
public sealed record Person(Guid Id, Guid OrgId, string Name, string Email, string NormalizedEmail, string? ExternalId = null)
{
    private static Person Joined(PersonJoined e) => new(e.PersonId, e.OrgId, e.Name, e.Email, Normalize(e.Email), e.ExternalId);

    /// <summary>E-mail addresses compare case-insensitively.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>The person after one event of their stream: the one place an event's effect on a person is written.</summary>
    public static Person? Fold(Person? person, IPersonEvent e) => e switch
    {
        PersonJoined x => Joined(x),
        PersonRemoved => null,
        _ when person is null => null,
        PersonRenamed x => person with { Name = x.Name },
        PersonEmailChanged x => person with { Email = x.Email, NormalizedEmail = Normalize(x.Email) },
        PersonExternalIdChanged x => person with { ExternalId = x.ExternalId },
        _ => throw new UnfoldedEventException(e),
    };
}

/// <summary>Keeps each person stream's <see cref="Person"/> document, inline with its events, by <see cref="Person.Fold"/>.</summary>
public sealed class PersonProjection : SingleStreamProjection<Person, Guid>
{
    public PersonProjection() => EventTypes.IncludeOnly<IPersonEvent>(this);

    public override Person? Evolve(Person? snapshot, Guid id, IEvent e) =>
        e.Data is IPersonEvent change ? Person.Fold(snapshot, change) : snapshot;
}
