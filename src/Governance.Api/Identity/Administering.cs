using Governance.Infrastructure;
using Governance.Organisations;
using Governance.Registry;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Identity;

public sealed record GrantAdmin(Guid PersonId);

public sealed record CreateApiKey(string Name, IReadOnlyList<string> Scopes);

/// <summary>A new key: <c>key</c> is shown this once and never again (only its hash is kept).</summary>
public sealed record ApiKeyCreatedResponse(Guid Id, string Name, IReadOnlyList<string> Scopes, string Key);

public sealed record ApiKeyResponse(Guid Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>An organisation's admins and the API keys of its tools, managed by its admins.</summary>
public static class Administering
{
    public const int MaxKeyNameLength = 100;

    /// <summary>Make a person of the organisation one of its admins.</summary>
    [WolverinePost("/api/orgs/{orgId}/admins", OperationId = "grantAdmin"), Tags("Administration")]
    [Requires(Right.Administer)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Grant(Guid orgId, GrantAdmin request, IDocumentSession session, CancellationToken ct)
    {
        var (stream, organisation) = await OpenAsync(orgId, session, ct);
        if (await session.PersonAsync(orgId, request.PersonId, ct) is null) return Unknown.Person(request.PersonId).ToResult();
        if (!organisation.Admins.Contains(request.PersonId)) stream.AppendOne(new AdminGranted(orgId, request.PersonId));
        return TypedResults.NoContent();
    }

    /// <summary>Stop a person being an admin (the last admin stays).</summary>
    [WolverineDelete("/api/orgs/{orgId}/admins/{personId}", OperationId = "revokeAdmin"), Tags("Administration")]
    [Requires(Right.Administer)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid orgId, Guid personId, IDocumentSession session, CancellationToken ct)
    {
        var (stream, organisation) = await OpenAsync(orgId, session, ct);
        if (!organisation.Admins.Contains(personId)) return Problem.NotFound("admin-not-found", $"Person {personId} is not an admin.").ToResult();
        if (organisation.Admins.Count == 1)
        {
            return Problem.Conflict("last-admin", "The organisation's last admin stays; make someone else an admin first.").ToResult();
        }
        stream.AppendOne(new AdminRevoked(orgId, personId));
        return TypedResults.NoContent();
    }

    /// <summary>Create an API key for a tool; the key is in this answer only.</summary>
    [WolverinePost("/api/orgs/{orgId}/api-keys", OperationId = "createApiKey"), Tags("Administration")]
    [Requires(Right.Administer), SecretInResponse]
    public static async Task<Results<Created<ApiKeyCreatedResponse>, ProblemHttpResult>> CreateKey(Guid orgId, CreateApiKey request, IDocumentSession session, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxKeyNameLength)
        {
            return Problem.BadRequest("invalid-name", $"An API key needs a name of 1 to {MaxKeyNameLength} characters.").ToResult();
        }
        var scopes = (request.Scopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0 || scopes.Any(s => s is null || !Caller.KnownScopes.Contains(s)))
        {
            return Problem.BadRequest("invalid-scopes", $"scopes is a non-empty list of {string.Join(", ", Caller.KnownScopes)}.").ToResult();
        }
        var (stream, _) = await OpenAsync(orgId, session, ct);
        var keyId = Guid.CreateVersion7();
        var (key, hash) = ApiKeys.Create(keyId);
        stream.AppendOne(new ApiKeyCreated(orgId, keyId, name, scopes, hash));
        return TypedResults.Created($"/api/orgs/{orgId}/api-keys/{keyId}", new ApiKeyCreatedResponse(keyId, name, scopes, key));
    }

    /// <summary>The organisation's API keys (never their secrets).</summary>
    [WolverineGet("/api/orgs/{orgId}/api-keys", OperationId = "listApiKeys"), Tags("Administration")]
    [Requires(Right.Administer)]
    public static async Task<Results<Ok<List<ApiKeyResponse>>, ProblemHttpResult>> ListKeys(Guid orgId, LiveRegistry registry, CancellationToken ct) =>
        await registry.ReadAsync(orgId, null, now => KeysOf(now, orgId), ct);

    public static Results<Ok<List<ApiKeyResponse>>, ProblemHttpResult> KeysOf(IRegistrySnapshot? now, Guid orgId) =>
        now is null
            ? Unknown.Organisation(orgId).ToResult()
            : TypedResults.Ok(now.Organisation.ApiKeys.Select(k => new ApiKeyResponse(k.Id, k.Name, k.Scopes)).ToList());

    /// <summary>Revoke an API key: refused on every instance within a second.</summary>
    [WolverineDelete("/api/orgs/{orgId}/api-keys/{keyId}", OperationId = "revokeApiKey"), Tags("Administration")]
    [Requires(Right.Administer)]
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(Guid orgId, Guid keyId, IDocumentSession session, CancellationToken ct)
    {
        var (stream, organisation) = await OpenAsync(orgId, session, ct);
        if (organisation.ApiKeys.All(k => k.Id != keyId)) return Problem.NotFound("api-key-not-found", $"The organisation has no API key {keyId}.").ToResult();
        stream.AppendOne(new ApiKeyRevoked(orgId, keyId));
        return TypedResults.NoContent();
    }

    /// <summary>The organisation's stream, locked: its admins and keys change one request at a time.</summary>
    private static async Task<(IEventStream<Organisation> Stream, Organisation Organisation)> OpenAsync(Guid orgId, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Organisation>(orgId, ct);
        // Standing has found the organisation before the endpoint runs.
        return (stream, stream.Aggregate ?? throw new InvalidOperationException($"Organisation {orgId} vanished."));
    }
}
