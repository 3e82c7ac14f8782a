using System.Security.Claims;
using Governance.Infrastructure;
using Governance.Registry;

namespace Governance.Identity;

/// <summary>
/// Resolves who the caller is in the organisation of the route, before the endpoint runs: a
/// credential with no standing there gets the organisation's own 404 (it learns nothing, not even
/// that the organisation exists), one without the endpoint's <see cref="Right"/> a 403 problem.
/// </summary>
public sealed class Standing(RequestDelegate next, LiveRegistry registry)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiresAttribute>()?.Right is not { } right)
        {
            await next(http);
            return;
        }
        var (caller, refused) = http.GetRouteValue("orgId")?.ToString() is { } raw
            ? Guid.TryParse(raw, out var orgId) && orgId != Guid.Empty
                ? await registry.ReadAsync(orgId, null, snapshot => In(http.User, snapshot, orgId, right), http.RequestAborted)
                : (null, Problem.NotFound("organisation-not-found", $"There is no organisation {raw}."))
            : Outside(http.User, right);
        refused ??= EmptyIdIn(http);
        if (refused is not null)
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<Web.WebPageAttribute>() is not null) await Web.WebProblem.WriteAsync(http, refused);
            else await refused.ToResult().ExecuteAsync(http);
            return;
        }
        http.Features.Set(caller);
        await next(http);
    }

    /// <summary>
    /// The service never makes an all-zero id, so a route naming one names nothing (Marten refuses
    /// it as a stream id). Asked only once the caller has standing, so a stranger meets the
    /// organisation's 404 whatever else the route names.
    /// </summary>
    private static Problem? EmptyIdIn(HttpContext http)
    {
        foreach (var (name, value) in http.GetRouteData().Values)
        {
            if (name.EndsWith("Id", StringComparison.Ordinal) && Guid.TryParse(value?.ToString(), out var id) && id == Guid.Empty)
            {
                var thing = name == "keyId" ? "api-key" : name[..^2];
                return Problem.NotFound($"{thing}-not-found", $"The organisation has no {thing.Replace('-', ' ')} {Guid.Empty}.");
            }
        }
        return null;
    }

    /// <summary>The caller's standing in an organisation and whether the right is theirs (pure).</summary>
    public static (Caller? Caller, Problem? Refused) In(ClaimsPrincipal user, IRegistrySnapshot? organisation, Guid orgId, Right right)
    {
        if (organisation is null || CallerIn(user, organisation) is not { } caller) return (null, Unknown.Organisation(orgId));
        return (caller, Refusal(caller, right));
    }

    /// <summary>Routes outside an organisation (founding one): any signed-in person, never a key.</summary>
    public static (Caller? Caller, Problem? Refused) Outside(ClaimsPrincipal user, Right right)
    {
        var caller = user.HasClaim(c => c.Type == Schemes.DevelopmentClaim)
            ? new Caller(Actor.DevelopmentUser, null, true, new HashSet<string>())
            : user.FindFirst(Schemes.ApiKeyIdClaim) is { } key
                ? new Caller(Actor.OfApiKey(Guid.Parse(key.Value), user.Identity?.Name ?? ""), null, false, Scopes(user))
                : new Caller(new Actor(Actor.Kinds.Person, Name: NameOf(user)), null, false, Scopes(user));
        return (caller, Refusal(caller, right));
    }

    private static Caller? CallerIn(ClaimsPrincipal user, IRegistrySnapshot organisation)
    {
        if (user.HasClaim(c => c.Type == Schemes.DevelopmentClaim)) return new Caller(Actor.DevelopmentUser, null, true, new HashSet<string>());
        if (user.FindFirst(Schemes.ApiKeyIdClaim) is { } key)
        {
            return user.FindFirst(Schemes.OrgIdClaim)?.Value == organisation.Organisation.Id.ToString()
                ? new Caller(Actor.OfApiKey(Guid.Parse(key.Value), user.Identity?.Name ?? ""), null, false, Scopes(user))
                : null;
        }
        return organisation.PersonKnownAs(user.FindFirst(Schemes.SubjectClaim)?.Value, VerifiedEmailOf(user)) is { } person
            ? new Caller(Actor.OfPerson(person.Id, person.Name), person.Id, organisation.Organisation.Admins.Contains(person.Id), Scopes(user))
            : null;
    }

    /// <summary>A token's e-mail, unless the provider says it is not verified (then it identifies no one).</summary>
    public static string? VerifiedEmailOf(ClaimsPrincipal user) =>
        user.FindFirst(Schemes.EmailVerifiedClaim)?.Value is "false" or "False" ? null : user.FindFirst(Schemes.EmailClaim)?.Value;

    public static string NameOf(ClaimsPrincipal user) =>
        user.FindFirst(Schemes.NameClaim)?.Value ?? user.FindFirst(Schemes.EmailClaim)?.Value ?? user.FindFirst(Schemes.SubjectClaim)?.Value ?? "";

    /// <summary>The governance scopes a credential is limited to (a token's other scopes, e.g. openid, limit nothing here).</summary>
    private static HashSet<string> Scopes(ClaimsPrincipal user) =>
        [.. user.FindAll(Schemes.ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(Caller.KnownScopes.Contains)];

    /// <summary>Why the caller may not use an endpoint needing this right (null: they may).</summary>
    public static Problem? Refusal(Caller caller, Right right) => right switch
    {
        Right.Found or Right.Write or Right.Administer when caller.IsReadOnly => Problem.Forbidden("read-only-credential", "This credential only reads.",
            "API keys and tokens limited to governance scopes read the registry or the record; changes are made by people, signed in without such limits."),
        Right.Read when caller.IsReadOnly && !caller.Scopes.Contains(Caller.RegistryRead) => MissingScope(Caller.RegistryRead),
        Right.Audit when caller.IsReadOnly && !caller.Scopes.Contains(Caller.AuditRead) => MissingScope(Caller.AuditRead),
        Right.Audit when !caller.IsReadOnly && !caller.IsAdmin => Problem.Forbidden("admins-only", "Only the organisation's admins read its full record.",
            "The export, histories and timelines are for admins and keys with audit:read."),
        Right.Administer when !caller.IsAdmin => Problem.Forbidden("admins-only", "Only the organisation's admins do this.",
            "Admins add people and manage admins and API keys."),
        _ => null,
    };

    private static Problem MissingScope(string scope) =>
        Problem.Forbidden("scope-missing", "The credential lacks the scope.", $"This needs a credential with the scope {scope}.");
}
