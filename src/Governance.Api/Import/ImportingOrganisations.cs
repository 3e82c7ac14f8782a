using System.Security.Claims;
using System.Text.Json;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Organisations;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Import;

/// <summary>
/// <c>POST /api/orgs:import?format=glassfrog|csv&amp;dryRun=&amp;org=</c>: an organisation from a
/// GlassFrog document or the CSV layout (docs/import.md). Into <c>org</c> (its admins only), else
/// into the organisation an earlier import of the same source made (found by the Anchor Circle's
/// external id, among those the caller administers), else a new one the caller founds. A GlassFrog
/// body may carry <c>domainKeys</c>, an object from each domain's <c>from</c> to the key it gets.
/// </summary>
public static class ImportingOrganisations
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Import an organisation from GlassFrog (API v3 JSON) or CSV, or see what an import would do (dryRun).</summary>
    [WolverinePost("/api/orgs:import", OperationId = "importOrganisation"), Tags("Import")]
    [Requires(Right.Found)]
    [Microsoft.AspNetCore.Mvc.RequestSizeLimit(MaxBodyBytes)]
    public static async Task<Results<Created<ImportResponse>, Ok<ImportResponse>, ProblemHttpResult>> Post(
        string? format, bool? dryRun, Guid? org, HttpRequest http, ClaimsPrincipal user, LiveRegistry registry, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (http.ContentLength > MaxBodyBytes) return new Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The body is too large.", $"An import takes at most {MaxBodyBytes / 1024 / 1024} MiB.").ToResult();
        // A whole organisation is larger than the service's other bodies (1 MiB): this one route takes up to MaxBodyBytes.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        using var reader = new StreamReader(http.Body);
        var (source, map, bad) = Read(format, await reader.ReadToEndAsync(ct));
        if (bad is not null) return bad.ToResult();

        var (target, refused) = await TargetAsync(org, source!, user, registry, session, ct);
        if (refused is not null) return refused.ToResult();
        var now = clock.GetUtcNow();
        if (dryRun == true)
        {
            var working = target is { } id ? ImportTargets.CopyOf(await registry.ReadFreshAsync(id, v => v.Now, ct))! : ImportTargets.Unfounded(source!.Anchor);
            var dry = await ImportTargets.RunAsync(working, source!, map, new DryRunWriter(), now, null, ct);
            return TypedResults.Ok(new ImportResponse(null, target is null ? null : working.Organisation!.AnchorCircleId, dry));
        }

        var orgId = target ?? Guid.Empty;
        if (target is null)
        {
            var founder = Standing.Outside(user, Right.Found).Caller!;
            var founded = FoundingOrganisations.Found(new FoundOrganisation(source!.Anchor.Name, source.Anchor.Purpose), founder, user, session, source.Anchor.ExternalId);
            if (founded.Result is not Created<OrganisationFoundedResponse> { Value: { } created }) return (ProblemHttpResult)founded.Result;
            await session.SaveChangesAsync(ct);
            orgId = created.Id;
        }
        var copy = await registry.ReadFreshAsync(orgId, v => (Working: ImportTargets.CopyOf(v.Now), Caller: Standing.In(user, v.Now, orgId, Right.Administer).Caller), ct);
        // The importing admin is the actor of every event the import records.
        if (copy.Caller is { } admin) session.SetHeader(Actor.Header, admin.Actor);
        var report = await ImportTargets.RunAsync(copy.Working!, source!, map, new CommittingWriter(session, orgId), now, null, ct);
        return TypedResults.Created($"/api/orgs/{orgId}", new ImportResponse(orgId, copy.Working!.Organisation!.AnchorCircleId, report));
    }

    /// <summary>The source in the body, and the GlassFrog body's domain key mapping; or why it cannot be read.</summary>
    public static (ImportSource? Source, IReadOnlyDictionary<string, string> Map, Problem? Problem) Read(string? format, string body)
    {
        Dictionary<string, string> map = [];
        // PostgreSQL's jsonb cannot hold U+0000: refused here, before the first circle is written, as JsonBodies refuses it in every other body.
        if (body.Contains('\0', StringComparison.Ordinal)) return (null, map, NulCharacter);
        switch (format?.ToLowerInvariant())
        {
            case "glassfrog":
                try
                {
                    using var document = JsonDocument.Parse(body);
                    if (body.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) && HasNul(document.RootElement)) return (null, map, NulCharacter);
                    if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("domainKeys", out var keys))
                    {
                        if (keys.ValueKind != JsonValueKind.Object || keys.EnumerateObject().Any(k => k.Value.ValueKind != JsonValueKind.String))
                        {
                            return (null, map, Problem.BadRequest("invalid-domain-keys", "domainKeys is an object from a domain's 'from' (\"Circle/Path: domain text\") to its key."));
                        }
                        foreach (var k in keys.EnumerateObject()) map[k.Name] = k.Value.GetString()!;
                    }
                    var (source, error) = GlassFrogDocument.Read(document.RootElement);
                    return (source, map, error is null ? ImportLimits.Check(source!) : Problem.BadRequest("invalid-glassfrog-document", error));
                }
                catch (JsonException e)
                {
                    return (null, map, Problem.BadRequest("invalid-json", $"The body is not JSON: {e.Message}"));
                }
            case "csv":
                var (csv, csvKeys, csvError) = CsvLayout.Read(body);
                return (csv, csvKeys, csvError is null ? ImportLimits.Check(csv!) : Problem.BadRequest("invalid-csv", csvError));
            default:
                return (null, map, Problem.BadRequest("unknown-format", $"format '{format}' is not known: use format=glassfrog or format=csv."));
        }
    }

    private static readonly Problem NulCharacter = Problem.BadRequest("nul-character", "Text may not contain the NUL character (U+0000): the body has one.");

    /// <summary>Whether a string or property name of the document decodes to a NUL (<c>\u0000</c>); walked without recursion.</summary>
    private static bool HasNul(JsonElement root)
    {
        var stack = new Stack<JsonElement>([root]);
        while (stack.TryPop(out var e))
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String when e.GetString()!.Contains('\0', StringComparison.Ordinal):
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) stack.Push(item);
                    break;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        if (p.Name.Contains('\0', StringComparison.Ordinal)) return true;
                        stack.Push(p.Value);
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>The organisation to import into (null: a new one), or the refusal.</summary>
    private static async Task<(Guid? Target, Problem? Refused)> TargetAsync(Guid? org, ImportSource source, ClaimsPrincipal user, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        if (org is { } chosen)
        {
            var refused = await registry.ReadAsync(chosen, null, s => Standing.In(user, s, chosen, Right.Administer).Refused, ct);
            return refused is null ? (chosen, null) : (null, refused);
        }
        var earlier = await session.Query<Role>().Where(r => r.ExternalId == source.Anchor.ExternalId && r.CircleId == null).Select(r => r.OrgId).ToListAsync(ct);
        foreach (var orgId in earlier)
        {
            if (await registry.ReadAsync(orgId, null, s => Standing.In(user, s, orgId, Right.Administer).Refused, ct) is null) return (orgId, null);
        }
        return (null, null);
    }
}
