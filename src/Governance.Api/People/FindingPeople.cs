using Governance.Identity;
using Governance.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.People;

/// <summary>A person as lists show them.</summary>
public sealed record PersonSummary(Guid Id, string Name, string Email, string? ExternalId)
{
    public static PersonSummary Of(Person p) => new(p.Id, p.Name, p.Email, p.ExternalId);
}

public sealed record PersonPage(IReadOnlyList<PersonSummary> Items, string? Next);

/// <summary>Finding the people of an organisation: by name, e-mail address or identity-provider subject, a page at a time.</summary>
public static class FindingPeople
{
    public const int PageSize = 50;

    /// <summary>
    /// The organisation's people (removed people are not), in the order they joined, 50 a page (<c>next</c> is the
    /// <c>after</c> of the next page): whose name contains <c>q</c> (case-insensitive), with the e-mail address
    /// <c>email</c> (case-insensitive), with the external id <c>externalId</c> (exactly).
    /// </summary>
    [WolverineGet("/api/orgs/{orgId}/people", OperationId = "listPeople"), Tags("People")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<PersonPage>, ProblemHttpResult>> List(
        Guid orgId, string? q, string? email, string? externalId, Guid? after, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        var query = new PeopleQuery(string.IsNullOrWhiteSpace(q) ? null : q.Trim(), string.IsNullOrWhiteSpace(email) ? null : Person.Normalize(email),
            string.IsNullOrEmpty(externalId) ? null : externalId, after);
        return await registry.ReadAsync(orgId, instant, snapshot => PageIn(snapshot, orgId, query), ct);
    }

    public sealed record PeopleQuery(string? Text, string? NormalizedEmail, string? ExternalId, Guid? After);

    /// <summary>
    /// One page of the matching people, ordered by id: ids are UUIDv7, so that is the order they joined in, and a
    /// cursor stays valid while people join or leave (who joins later comes later).
    /// </summary>
    public static Results<Ok<PersonPage>, ProblemHttpResult> PageIn(IRegistrySnapshot? snapshot, Guid orgId, PeopleQuery query)
    {
        if (snapshot is null) return Unknown.Organisation(orgId).ToResult();
        var matching = snapshot.People.Values
            .Where(p => query.After is not { } cursor || p.Id.CompareTo(cursor) > 0)
            .Where(p => query.Text is null || p.Name.Contains(query.Text, StringComparison.OrdinalIgnoreCase))
            .Where(p => query.NormalizedEmail is null || p.NormalizedEmail == query.NormalizedEmail)
            .Where(p => query.ExternalId is null || p.ExternalId == query.ExternalId)
            .OrderBy(p => p.Id)
            .Take(PageSize + 1)
            .ToList();
        var page = matching.Take(PageSize).ToList();
        return TypedResults.Ok(new PersonPage([.. page.Select(PersonSummary.Of)], matching.Count > PageSize ? page[^1].Id.ToString() : null));
    }
}
