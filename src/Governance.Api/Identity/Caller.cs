namespace Governance.Identity;

/// <summary>
/// Who is asking, and their standing in the organisation of the route: resolved once per request
/// by <see cref="Standing"/> and handed to endpoints (Wolverine passes it as a parameter).
/// </summary>
/// <param name="Actor">What the request's events record as their actor.</param>
/// <param name="PersonId">The person of the organisation the credential speaks for (none for keys and the development user).</param>
/// <param name="IsAdmin">An admin of the organisation (the development user is admin of every one).</param>
/// <param name="Scopes">The scopes a key, or a token carrying governance scopes, is limited to (empty: a person's full standing).</param>
public sealed record Caller(Actor Actor, Guid? PersonId, bool IsAdmin, IReadOnlySet<string> Scopes)
{
    public const string RegistryRead = "registry:read";
    public const string AuditRead = "audit:read";
    public static readonly IReadOnlySet<string> KnownScopes = new HashSet<string>(StringComparer.Ordinal) { RegistryRead, AuditRead };

    public bool IsApiKey => Actor.Kind == Actor.Kinds.ApiKey;

    /// <summary>Keys, and tokens limited to governance scopes, only read (within those scopes).</summary>
    public bool IsReadOnly => IsApiKey || Scopes.Count > 0;

    /// <summary>A person acting as themselves: the caller is <paramref name="personId"/>.</summary>
    public bool Is(Guid personId) => PersonId == personId;
}

public static class CallerExtensions
{
    /// <summary>The caller <see cref="Standing"/> resolved for this request.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Features.Get<Caller>() ?? throw new InvalidOperationException("No caller was resolved for this endpoint; does it declare a [Requires] right?");
}
