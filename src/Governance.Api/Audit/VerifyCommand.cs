using System.Text.Json;
using Governance.Organisations;
using Governance.People;
using Governance.Registry;
using Governance.Roles;
using JasperFx.CommandLine;
using Marten;

namespace Governance.Audit;

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- verify</c>: replays every organisation's events in
/// memory (the same folds as the projections) and compares the result with the stored registry
/// documents, printing each difference. Exit code 0 when there are none.
/// </summary>
[Description("Replays every organisation's events and compares them with the stored registry; prints the differences.", Name = "verify")]
public sealed class VerifyCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        // Services only: the web server is not started, so this runs beside a running service.
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        // The host is not started, so bring the schema up to date here (as start-up would).
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.QuerySession();
        var differences = await RegistryVerification.CompareAllAsync(session, Console.WriteLine, CancellationToken.None);
        Console.WriteLine(differences == 0 ? "0 differences: the stored registry equals a full replay." : $"{differences} difference(s).");
        return differences == 0;
    }
}

/// <summary>Replay equals state: the stored registry of each organisation against a replay of its events.</summary>
public static class RegistryVerification
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> CompareAllAsync(IQuerySession session, Action<string> report, CancellationToken ct)
    {
        var differences = 0;
        foreach (var org in await session.Query<Organisation>().ToListAsync(ct))
        {
            differences += await CompareAsync(org.Id, session, report, ct);
        }
        return differences;
    }

    public static async Task<int> CompareAsync(Guid orgId, IQuerySession session, Action<string> report, CancellationToken ct)
    {
        var replayed = await Replay.OrganisationAsync(session, orgId, DateTimeOffset.MaxValue, ct);
        var roles = (await session.Query<Role>().Where(r => r.OrgId == orgId).ToListAsync(ct)).ToDictionary(r => r.Id);
        var people = (await session.Query<Person>().Where(p => p.OrgId == orgId).ToListAsync(ct)).ToDictionary(p => p.Id);

        var found = new List<string>();
        Compare("role", replayed.Roles, roles, found);
        Compare("person", replayed.People, people, found);
        foreach (var difference in found) report($"org {orgId}: {difference}");
        report($"org {orgId}: {replayed.Roles.Count} roles, {replayed.People.Count} people, {replayed.Roles.Values.Sum(r => r.Domains.Count)} domain holdings, {found.Count} difference(s)");
        return found.Count;
    }

    private static void Compare<T>(string what, IReadOnlyDictionary<Guid, T> replayed, IReadOnlyDictionary<Guid, T> stored, List<string> found)
    {
        foreach (var (id, expected) in replayed)
        {
            if (!stored.TryGetValue(id, out var actual)) found.Add($"{what} {id}: missing from the registry");
            else if (JsonSerializer.Serialize(expected, Json) != JsonSerializer.Serialize(actual, Json)) found.Add($"{what} {id}: differs from its replay");
        }
        found.AddRange(stored.Keys.Except(replayed.Keys).Select(id => $"{what} {id}: in the registry but not in the record"));
    }
}
