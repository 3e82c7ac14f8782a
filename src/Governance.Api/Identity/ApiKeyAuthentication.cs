using System.Security.Claims;
using System.Text.Encodings.Web;
using Governance.Registry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Governance.Identity;

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
        var orgId = await registry.OrganisationOfApiKeyAsync(presented.KeyId, Context.RequestAborted);
        var key = orgId is { } owner
            ? await registry.ReadAsync(owner, null, now => now?.Organisation.ApiKeys.FirstOrDefault(k => k.Id == presented.KeyId), Context.RequestAborted)
            : null;
        if (key is null || !ApiKeys.Matches(presented.Secret, key.SecretHash)) return AuthenticateResult.Fail("Unknown or revoked API key.");
        Claim[] claims =
        [
            new(Schemes.ApiKeyIdClaim, key.Id.ToString()), new(Schemes.OrgIdClaim, orgId!.Value.ToString()), new(Schemes.NameClaim, key.Name),
            .. key.Scopes.Select(scope => new Claim(Schemes.ScopeClaim, scope)),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, Schemes.NameClaim, null)), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        IdentitySetup.Unauthenticated(Context, "ApiKey", "The API key is unknown or revoked; an admin of the organisation creates keys.");
}
