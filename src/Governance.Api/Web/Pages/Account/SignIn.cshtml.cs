using System.Security.Claims;
using Governance.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Governance.Web.Pages.Account;

/// <summary>
/// Signing in to the pages (<see cref="BrowserSignIn"/>): at the authority when the web app is its
/// client (this page only sends the browser there), else with a token of the service's own kind
/// pasted here (<c>dotnet run -- token</c> mints one), checked as the API checks a bearer token.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(AuthMode mode, IOptionsMonitor<JwtBearerOptions> bearer) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary>Shown after signing out, instead of going straight back to the provider.</summary>
    [FromQuery(Name = "signedOut")]
    public bool SignedOut { get; set; }

    public bool AtAuthority => mode.BrowserSignInAtAuthority;

    /// <summary>Why the pasted token was refused.</summary>
    public string? Refusal { get; private set; }

    public IActionResult OnGet()
    {
        if (mode.Development) return LocalRedirect(Destination);
        if (AtAuthority && !SignedOut) return Challenge(new AuthenticationProperties { RedirectUri = Destination }, Schemes.OpenIdConnect);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? token)
    {
        if (mode.Development) return LocalRedirect(Destination);
        if (AtAuthority) return Challenge(new AuthenticationProperties { RedirectUri = Destination }, Schemes.OpenIdConnect);
        var checkedToken = await CheckAsync(token?.Trim() ?? "");
        if (checkedToken is not JsonWebToken valid)
        {
            Refusal = "That token is not valid here (signature, issuer, audience or expiry). Ask an admin for a new one.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var identity = new ClaimsIdentity(valid.Claims.Where(c => Kept.Contains(c.Type)), "token", Schemes.NameClaim, null);
        await HttpContext.SignInAsync(Schemes.Session, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            // The sign-in ends when the token would have: no longer than it, however often it is used.
            ExpiresUtc = valid.ValidTo < DateTime.UtcNow + BrowserSignIn.Lifetime ? valid.ValidTo : DateTime.UtcNow + BrowserSignIn.Lifetime,
            AllowRefresh = false,
        });
        return LocalRedirect(Destination);
    }

    /// <summary>Ends the sign-in (this browser's cookie; a provider's own session is the provider's).</summary>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(Schemes.Session);
        return LocalRedirect($"{BrowserSignIn.SignInPath}?signedOut=true");
    }

    /// <summary>The claims a session keeps of a token: who the person is, and any limits on what they may do.</summary>
    private static readonly HashSet<string> Kept = [Schemes.SubjectClaim, Schemes.EmailClaim, Schemes.EmailVerifiedClaim, Schemes.NameClaim, Schemes.ScopeClaim];

    /// <summary>Where to go once signed in: a page of this service only (never another site).</summary>
    private string Destination => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/";

    /// <summary>The token checked exactly as the API's bearer scheme checks one (same keys, issuer, audience, lifetime).</summary>
    private async Task<Microsoft.IdentityModel.Tokens.SecurityToken?> CheckAsync(string token)
    {
        if (token.Length == 0) return null;
        var options = bearer.Get(Schemes.Bearer);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } provider)
        {
            var configuration = await provider.GetConfigurationAsync(HttpContext.RequestAborted);
            parameters.ValidIssuer ??= configuration.Issuer;
            parameters.IssuerSigningKeys = configuration.SigningKeys;
        }
        if (options.Audience is { } audience) parameters.ValidAudience ??= audience;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        return result.IsValid ? result.SecurityToken : null;
    }
}
