using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Governance.Identity;

/// <summary>Development mode only: a request without credentials is the development user, an admin of every organisation.</summary>
public sealed class DevelopmentAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        Claim[] claims = [new(Schemes.DevelopmentClaim, "true"), new(Schemes.NameClaim, Actor.DevelopmentUser.Name!)];
        return Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, Schemes.NameClaim, null)), Scheme.Name)));
    }
}
