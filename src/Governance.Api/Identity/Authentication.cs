using System.Security.Claims;
using System.Text.Encodings.Web;
using Governance.Registry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Governance.Identity;

/// <summary>The authentication schemes and the claims they put on a caller.</summary>
public static class Schemes
{
    /// <summary>Chooses the scheme from the Authorization header.</summary>
    public const string Selector = "Governance";
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string Development = "Development";

    public const string ApiKeyIdClaim = "api_key_id";
    public const string OrgIdClaim = "org_id";
    public const string ScopeClaim = "scope";
    public const string DevelopmentClaim = "development";

    /// <summary>Bearer tokens and API keys by their header; no credentials: the development user in development mode, else none (401).</summary>
    public static string For(HttpContext http, AuthMode mode)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Bearer;
        if (header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return ApiKey;
        return mode.Development && header.Length == 0 ? Development : Bearer;
    }
}

/// <summary><c>Authorization: ApiKey gov_...</c>: a key of an organisation, checked against the live registry (a revoked key fails everywhere within a poll).</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LiveRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (ApiKeys.Parse(header["ApiKey ".Length..].Trim()) is not { } presented) return AuthenticateResult.Fail("Not an API key.");
        var found = await registry.ReadAsync(view => view.OwnerOfApiKey(presented.KeyId) is { } owner
            ? (owner.Organisation.Id, owner.Organisation.ApiKeys.FirstOrDefault(k => k.Id == presented.KeyId))
            : default, Context.RequestAborted);
        if (found.Item2 is not { } key || !ApiKeys.Matches(presented.Secret, key.SecretHash)) return AuthenticateResult.Fail("Unknown or revoked API key.");
        Claim[] claims =
        [
            new(Schemes.ApiKeyIdClaim, key.Id.ToString()), new(Schemes.OrgIdClaim, found.Item1.ToString()), new("name", key.Name),
            .. key.Scopes.Select(scope => new Claim(Schemes.ScopeClaim, scope)),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "name", null)), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        IdentitySetup.Unauthenticated(Context, "ApiKey", "The API key is unknown or revoked; an admin of the organisation creates keys.");
}

/// <summary>Development mode only: a request without credentials is the development user, an admin of every organisation.</summary>
public sealed class DevelopmentAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        Claim[] claims = [new(Schemes.DevelopmentClaim, "true"), new("name", Actor.DevelopmentUser.Name!)];
        return Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "name", null)), Scheme.Name)));
    }
}
