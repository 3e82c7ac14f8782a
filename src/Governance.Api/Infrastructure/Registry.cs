using Governance.Organisations;
using Governance.People;
using Governance.Roles;
using Marten;

namespace Governance.Infrastructure;

/// <summary>Small shared reads every slice needs: scoped to one organisation, so ids of another organisation are simply not found.</summary>
public static class Registry
{
    public static Problem OrganisationNotFound(Guid orgId) =>
        Problem.NotFound("organisation-not-found", $"There is no organisation {orgId}.");

    public static Problem RoleNotFound(Guid roleId) =>
        Problem.NotFound("role-not-found", $"The organisation has no role {roleId}.");

    public static Problem CircleNotFound(Guid circleId) =>
        Problem.NotFound("circle-not-found", $"The organisation has no circle {circleId}.");

    public static Problem PersonNotFound(Guid personId) =>
        Problem.NotFound("person-not-found", $"The organisation has no person {personId}.");

    public static async Task<Organisation?> OrganisationAsync(this IQuerySession session, Guid orgId, CancellationToken ct) =>
        await session.LoadAsync<Organisation>(orgId, ct);

    public static async Task<Role?> RoleAsync(this IQuerySession session, Guid orgId, Guid roleId, CancellationToken ct) =>
        await session.LoadAsync<Role>(roleId, ct) is { } role && role.OrgId == orgId ? role : null;

    public static async Task<Person?> PersonAsync(this IQuerySession session, Guid orgId, Guid personId, CancellationToken ct) =>
        await session.LoadAsync<Person>(personId, ct) is { } person && person.OrgId == orgId ? person : null;

    public static async Task<IReadOnlyDictionary<Guid, Person>> PeopleAsync(this IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0) return new Dictionary<Guid, Person>();
        var people = await session.LoadManyAsync<Person>(ct, distinct);
        return people.ToDictionary(p => p.Id);
    }

    /// <summary>The organisation's registry replayed to a past instant (see <see cref="TimeTravel"/>).</summary>
    public static Task<RegistryAt> ReplayAsync(this IQuerySession session, Guid orgId, DateTimeOffset at, Npgsql.NpgsqlDataSource database, CancellationToken ct) =>
        TimeTravel.ReplayAsync(orgId, at, database, session.DocumentStore.Options.Events.DatabaseSchemaName, ct);
}
