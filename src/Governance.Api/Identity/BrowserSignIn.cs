using Governance.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Governance.Identity;

/// <summary>
/// How people sign in to the web app's pages (outside development mode): a cookie, made either by
/// the OpenID Connect code flow at the configured authority (with a client id) or, where the
/// service signs its own tokens, by a token pasted into the sign-in page. The cookie carries the
/// token's own claims (sub, email, name), so <see cref="Standing"/> finds the same person in an
/// organisation as for a bearer token. Only pages read it: the API takes credentials from the
/// Authorization header alone, so a form on another site cannot act through a signed-in browser.
/// </summary>
public static class BrowserSignIn
{
    public const string SignInPath = "/signin";
    public const string CallbackPath = "/signin-oidc";

    /// <summary>How long a sign-in lasts without use (sliding); a pasted token's own expiry ends it sooner.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static AuthenticationBuilder AddBrowserSignIn(this AuthenticationBuilder authentication, AuthMode mode)
    {
        authentication.AddCookie(Schemes.Session, o =>
        {
            o.Cookie.Name = "governance.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            // At an authority, the sign-in page is the provider's: go there at once.
            if (mode.BrowserSignInAtAuthority) o.ForwardChallenge = Schemes.OpenIdConnect;
        });
        if (mode.BrowserSignInAtAuthority)
        {
            authentication.AddOpenIdConnect(Schemes.OpenIdConnect, o =>
            {
                o.Authority = mode.Authority;
                o.ClientId = mode.ClientId;
                o.ClientSecret = mode.ClientSecret;
                o.RequireHttpsMetadata = !IsLoopback(mode.Authority!);
                o.ResponseType = OpenIdConnectResponseType.Code;
                // A redirect back (not a cross-site form post), so the flow's cookies can stay SameSite=Lax.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in (string[])["openid", "profile", "email"]) o.Scope.Add(scope);
                o.CallbackPath = CallbackPath;
                o.SignInScheme = Schemes.Session;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = Schemes.NameClaim;
                o.SaveTokens = false;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    return Web.WebProblem.WriteAsync(context.HttpContext, new Problem(StatusCodes.Status401Unauthorized, "sign-in-failed",
                        "The sign-in did not complete.", $"The identity provider's answer was not accepted ({context.Failure?.Message}). Try again from the start page."));
                };
            });
        }
        return authentication;
    }

    public static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
