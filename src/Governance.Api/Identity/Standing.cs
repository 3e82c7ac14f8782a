using System.Security.Claims;
using Governance.Infrastructure;
using Governance.Registry;

namespace Governance.Identity;

/// <summary>
/// Resolves who the caller is in the organisation of the route, before the endpoint runs: a
/// credential with no standing there gets the organisation's own 404 (it learns nothing, not even
/// that the organisation exists), one without the endpoint's <see cref="Right"/> a 403 problem.
/// </summary>
public static class Standing
{
    public static async Task ResolveAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiresAttribute>()?.Right is not { } right)
        {
            await next(http);
            return;
        }
        var (caller, refused) = EmptyIdIn(http) is { } empty
            ? (null, empty)
            : http.GetRouteValue("orgId") is { } raw
            ? Guid.TryParse(raw.ToString(), out var orgId)
                ? await http.RequestServices.GetRequiredService<LiveRegistry>().ReadAsync(orgId, null, snapshot => In(http.User, snapshot, orgId, right), http.RequestAborted)
                : (null, Unknown.Organisation(Guid.Empty))
            : Outside(http.User, right);
        if (refused is not null)
        {
            await refused.ToResult().ExecuteAsync(http);
            return;
        }
        http.Features.Set(caller);
        await next(http);
    }

    /// <summary>The service never makes an all-zero id, so a route naming one names nothing (Marten refuses it as a stream id).</summary>
    private static Problem? EmptyIdIn(HttpContext http)
    {
        foreach (var (name, value) in http.GetRouteData().Values)
        {
            if (name.EndsWith("Id", StringComparison.Ordinal) && Guid.TryParse(value?.ToString(), out var id) && id == Guid.Empty)
            {
                var thing = name[..^2];
                return Problem.NotFound($"{thing}-not-found", $"There is no {thing} {Guid.Empty}.");
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
                : new Caller(new Actor(Actor.Kinds.Person, Name: NameOf(user)), null, false, new HashSet<string>());
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
        return organisation.PersonKnownAs(user.FindFirst("sub")?.Value, user.FindFirst("email")?.Value) is { } person
            ? new Caller(Actor.OfPerson(person.Id, person.Name), person.Id, organisation.Organisation.Admins.Contains(person.Id), new HashSet<string>())
            : null;
    }

    public static string NameOf(ClaimsPrincipal user) =>
        user.FindFirst("name")?.Value ?? user.FindFirst("email")?.Value ?? user.FindFirst("sub")?.Value ?? "";

    private static HashSet<string> Scopes(ClaimsPrincipal user) =>
        [.. user.FindAll(Schemes.ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>Why the caller may not use an endpoint needing this right (null: they may).</summary>
    public static Problem? Refusal(Caller caller, Right right) => right switch
    {
        Right.Found or Right.Write when caller.IsApiKey => Forbidden("api-key-read-only", "API keys only read.",
            "An API key reads the registry or the record; changes are made by people, signed in."),
        Right.Read when caller.IsApiKey && !caller.Scopes.Contains(Caller.RegistryRead) => MissingScope(Caller.RegistryRead),
        Right.Audit when caller.IsApiKey && !caller.Scopes.Contains(Caller.AuditRead) => MissingScope(Caller.AuditRead),
        Right.Audit when !caller.IsApiKey && !caller.IsAdmin => Forbidden("admins-only", "Only the organisation's admins read its full record.",
            "The export, histories and timelines are for admins and keys with audit:read."),
        Right.Administer when !caller.IsAdmin => Forbidden("admins-only", "Only the organisation's admins do this.",
            "Admins manage admins and API keys."),
        _ => null,
    };

    private static Problem MissingScope(string scope) =>
        Forbidden("scope-missing", "The API key lacks the scope.", $"This needs an API key with the scope {scope}.");

    public static Problem Forbidden(string type, string title, string detail, string? section = null) =>
        new(StatusCodes.Status403Forbidden, type, title, detail, section is null ? null : $"Holacracy 5.0 {section}");
}
