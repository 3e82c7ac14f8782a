using System.Net.Mail;
using Governance.Identity;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.People;

/// <summary>A person to add; <c>ExternalId</c> is their subject at the organisation's identity provider (a token's <c>sub</c>), so their token speaks for them.</summary>
public sealed record JoinPerson(string Name, string Email, string? ExternalId = null);

public sealed record PersonCreatedResponse(Guid Id);

public sealed record PersonRoleResponse(Guid RoleId, string RoleName, Guid? CircleId, string? Focus);

public sealed record PersonResponse(Guid Id, string Name, string Email, string? ExternalId, IReadOnlyList<PersonRoleResponse> Roles);

public static class JoiningPeople
{
    public const int MaxExternalIdLength = 255;

    public const int MaxEmailLength = 320;

    public static bool IsEmail(string text) =>
        text.Length <= MaxEmailLength && MailAddress.TryCreate(text, out var parsed) && parsed.Address == text;

    /// <summary>Add a person to the organisation.</summary>
    [WolverinePost("/api/orgs/{orgId}/people", OperationId = "joinPerson"), Tags("People")]
    [Requires(Right.Administer)]
    public static async Task<Results<Created<PersonCreatedResponse>, ProblemHttpResult>> Post(Guid orgId, JoinPerson request, IDocumentSession session, CancellationToken ct)
    {
        if (await session.OrganisationAsync(orgId, ct) is null) return Unknown.Organisation(orgId).ToResult();
        var (name, badName) = PersonDetails.Name(request.Name);
        if (badName is not null) return badName.ToResult();
        var (email, badEmail) = PersonDetails.Email(request.Email);
        if (badEmail is not null) return badEmail.ToResult();
        var (externalId, badExternalId) = PersonDetails.ExternalId(request.ExternalId);
        if (badExternalId is not null) return badExternalId.ToResult();
        if (await PersonDetails.TakenAsync(session, orgId, Guid.Empty, email, externalId, ct) is { } taken) return taken.ToResult();

        var personId = Guid.CreateVersion7();
        // Each person has a stream of their own: people join in parallel without contending on one stream.
        session.Events.StartStream(personId, new PersonJoined(orgId, personId, name, email, externalId));
        return TypedResults.Created($"/api/orgs/{orgId}/people/{personId}", new PersonCreatedResponse(personId));
    }

    /// <summary>A person and the roles they fill.</summary>
    [WolverineGet("/api/orgs/{orgId}/people/{personId}", OperationId = "getPerson"), Tags("People")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> Get(Guid orgId, Guid personId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => PersonIn(snapshot, personId), ct);
    }

    public static Results<Ok<PersonResponse>, ProblemHttpResult> PersonIn(IRegistrySnapshot? snapshot, Guid personId)
    {
        if (snapshot?.People.GetValueOrDefault(personId) is not { } person) return Unknown.Person(personId).ToResult();
        var filled = snapshot.RolesFilledBy(personId).Order(Role.ByName)
            .Select(r => new PersonRoleResponse(r.Id, r.Name, r.CircleId, r.Fillers.First(f => f.PersonId == personId).Focus));
        return TypedResults.Ok(new PersonResponse(person.Id, person.Name, person.Email, person.ExternalId, [.. filled]));
    }
}
