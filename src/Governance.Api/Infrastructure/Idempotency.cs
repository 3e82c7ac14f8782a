using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Identity;
using Marten;
using Microsoft.Extensions.Options;

namespace Governance.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on every POST that writes: a retry with the same key (per organisation and caller) gets
/// the first answer again and writes nothing; the same key with a different request is refused (422).
/// The answer is stored in the same transaction as the write it answers, so a write is never kept
/// without its key, and of two simultaneous requests with one key only one commits (the other: 409).
/// Answers are kept for <see cref="IdempotencyOptions.Retention"/> (<see cref="IdempotencyCleanup"/> deletes them after).
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const string ScopeItem = "governance.idempotency";

    /// <summary>
    /// A request's key: its record id, the request's hash, when it came (<c>At</c>), and, when the key's
    /// earlier answer is past its retention, <c>ExpiredBefore</c>: answers stored before it go in the
    /// transaction that stores the new one.
    /// </summary>
    private sealed record Scope(string Id, Guid? OrgId, string Key, string Hash, DateTimeOffset At, DateTimeOffset? ExpiredBefore = null);

    public static WebApplicationBuilder AddIdempotencyKeys(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.Schema.For<IdempotentResponse>().Identity(r => r.Id)
            .Duplicate(r => r.OrgId).Duplicate(r => r.CreatedAt));
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section)
            .Validate(o => o.Retention > TimeSpan.Zero && o.CleanupInterval > TimeSpan.Zero,
                $"{IdempotencyOptions.Section}: Retention and CleanupInterval are positive durations (e.g. 1.00:00:00, 00:10:00).")
            .ValidateOnStart();
        builder.Services.AddHostedService<IdempotencyCleanup>();
        return builder;
    }

    public static WebApplication UseIdempotencyKeys(this WebApplication app)
    {
        var (store, clock) = (app.Services.GetRequiredService<IDocumentStore>(), app.Services.GetRequiredService<TimeProvider>());
        var retention = app.Services.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Retention;
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
            {
                await next(http);
                return;
            }
            var key = values.ToString();
            if (key.Length is 0 or > 255 || key.Any(char.IsControl))
            {
                await Problem.BadRequest("invalid-idempotency-key", "An Idempotency-Key is 1 to 255 printable characters.").ToResult().ExecuteAsync(http);
                return;
            }
            var orgId = OrgOf(http.Request.Path);
            // A key is the caller's own: another credential sending the same key is another request.
            var scope = new Scope(ScopeId(orgId, CallerOf(http), key), orgId, key, await HashAsync(http.Request), clock.GetUtcNow());
            await using (var session = store.QuerySession())
            {
                var earlier = await session.LoadAsync<IdempotentResponse>(scope.Id, http.RequestAborted);
                if (earlier is not null && earlier.CreatedAt <= scope.At - retention)
                {
                    // Past its retention the key is free again: a new request, whatever it asks.
                    scope = scope with { ExpiredBefore = scope.At - retention };
                }
                else if (earlier is not null)
                {
                    await (earlier.RequestHash == scope.Hash
                        ? ReplayAsync(http, earlier)
                        : Problem.Violation("idempotency-key-reused", "The Idempotency-Key was used for another request.",
                            "Send a new key for a new request; a key answers exactly one request.").ToResult().ExecuteAsync(http));
                    return;
                }
            }
            http.Items[ScopeItem] = scope;
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// Stores a writing endpoint's successful answer for the request's Idempotency-Key, in the
    /// endpoint's own session, so it commits (or not) with the write it answers. Called by
    /// <see cref="IdempotencyPolicy"/> between the endpoint and the commit.
    /// </summary>
    public static void Remember(IResult result, IDocumentSession session, HttpContext http)
    {
        if (http.Items[ScopeItem] is not Scope scope) return;
        if (result is INestedHttpResult nested) result = nested.Result;
        if ((result as IStatusCodeHttpResult)?.StatusCode is not { } status || status is < 200 or >= 300) return;
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var body = (result as IValueHttpResult)?.Value is { } value ? JsonSerializer.Serialize(value, value.GetType(), json) : null;
        // Created<T> and CreatedAtRoute<T> carry their Location until they execute; no interface exposes it.
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        var etag = http.Response.Headers.ETag.ToString();
        // Only the expired answer the request saw, in this transaction: if a concurrent request with the
        // key has stored its new answer meanwhile, nothing is deleted and the insert below fails.
        if (scope.ExpiredBefore is { } expired) session.DeleteWhere<IdempotentResponse>(r => r.Id == scope.Id && r.CreatedAt <= expired);
        // Insert, not store: a second request with the same key fails to commit instead of writing twice.
        session.Insert(new IdempotentResponse(scope.Id, scope.OrgId, scope.Key, scope.Hash, status,
            body, location, etag.Length == 0 ? null : etag, scope.At));
    }

    private static async Task ReplayAsync(HttpContext http, IdempotentResponse earlier)
    {
        http.Response.StatusCode = earlier.Status;
        http.Response.Headers[ReplayedHeader] = "true";
        if (earlier.Location is not null) http.Response.Headers.Location = earlier.Location;
        if (earlier.ETag is not null) http.Response.Headers.ETag = earlier.ETag;
        if (earlier.Body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(earlier.Body, http.RequestAborted);
        }
    }

    /// <summary>Who is asking, as resolved for this request: a person, a key, the development user, or (founding) the token's subject.</summary>
    private static string CallerOf(HttpContext http) =>
        http.Features.Get<Caller>() is { } caller
            ? $"{caller.Actor.Kind}/{caller.PersonId?.ToString("N") ?? caller.Actor.ApiKeyId?.ToString("N") ?? http.User.FindFirst(Schemes.SubjectClaim)?.Value ?? Standing.NameOf(http.User)}"
            : "anonymous";

    /// <summary>The record's id: a hash of the parts, each length-prefixed, so no two callers' keys can meet.</summary>
    private static string ScopeId(Guid? orgId, string caller, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Concat(new[] { orgId?.ToString("N") ?? "-", caller, key }.Select(part => $"{part.Length}:{part}")))));

    private static Guid? OrgOf(PathString path)
    {
        var segments = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments.Length >= 3 && segments[0] == "api" && segments[1] == "orgs" && Guid.TryParse(segments[2], out var org) ? org : null;
    }

    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var head = Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n");
        return Convert.ToHexString(SHA256.HashData([.. head, .. body.ToArray()]));
    }
}
