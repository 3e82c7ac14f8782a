using Governance.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Identity;

/// <summary>
/// Who is asking (JWT bearer tokens: HS256 with a configured key or an OpenID Connect authority's
/// JWKS; API keys; the development user in development mode), how often they may ask (per
/// credential), and their standing in each organisation (<see cref="Standing"/>).
/// </summary>
public static class IdentitySetup
{
    /// <summary>Sign-in as configured; of the command lines (<paramref name="args"/>) only the service itself needs it (no command, or <c>run</c>).</summary>
    public static WebApplicationBuilder AddGovernanceIdentity(this WebApplicationBuilder builder, string[] args)
    {
        AuthOptions options;
        try
        {
            options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new AuthNotConfiguredException($"Governance__Auth__... has a value of the wrong kind ({e.InnerException?.Message ?? e.Message}); Development is true or false.");
        }
        var mode = AuthMode.Of(options, builder.Environment, CommandLine.ServesRequests(args));
        builder.Services.AddSingleton(mode);
        builder.Services.AddAuthentication(Schemes.Selector)
            .AddPolicyScheme(Schemes.Selector, "Bearer token, API key or development user", o => o.ForwardDefaultSelector = http => Schemes.For(http, mode))
            .AddJwtBearer(Schemes.Bearer, o => Tokens(o, mode))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(Schemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthentication>(Schemes.Development, null)
            .AddBrowserSignIn(mode);
        // Every endpoint needs a signed-in caller unless it says otherwise (health, OpenAPI).
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        var limits = RateLimits.From(builder.Configuration);
        var limiter = limits.Limiter();
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(limiter);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limiter;
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await new Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                    "This credential sent more requests than the service allows per second; retry after the time in Retry-After.")
                    .ToResult().ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static WebApplication UseGovernanceIdentity(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<AuthMode>();
        if (mode.Development)
        {
            app.Logger.LogWarning("DEVELOPMENT MODE: requests without credentials act as the development user, an admin of EVERY organisation. Never expose this service; configure Governance__Auth__SigningKey or Governance__Auth__Authority instead.");
        }
        else if (app.Logger.IsEnabled(LogLevel.Information))
        {
            var (authority, client) = (mode.Authority, mode.ClientId);
            var how = mode.BrowserSignInAtAuthority
                ? $"at {authority} as its client {client} (code flow, callback {BrowserSignIn.CallbackPath})"
                : $"with a token pasted at {BrowserSignIn.SignInPath}{(authority is null ? "" : "; set Governance__Auth__ClientId to sign them in at the authority instead")}";
            app.Logger.LogInformation("The web app signs people in {How}.", how);
        }
        app.UseAuthentication();
        var (limits, limiter) = (app.Services.GetRequiredService<RateLimits>(), app.Services.GetRequiredService<System.Threading.RateLimiting.PartitionedRateLimiter<HttpContext>>());
        app.Use((http, next) =>
        {
            limits.Describe(http, limiter);
            return next(http);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<Standing>();
        return app;
    }

    private static void Tokens(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions options, AuthMode mode)
    {
        // Keep the token's own claim names (sub, email, name, scope).
        options.MapInboundClaims = false;
        options.Events = new Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var scheme = context.Error is null ? "Bearer, ApiKey" : $"Bearer error=\"{context.Error}\"";
                await Unauthenticated(context.HttpContext, scheme, context.Error is null
                    ? "Send Authorization: Bearer <token> (a person) or Authorization: ApiKey <key> (a tool)."
                    : "The bearer token is not valid here (signature, issuer, audience or expiry); get a new one.");
            },
        };
        options.TokenValidationParameters.NameClaimType = "name";
        if (mode.Authority is { } authority)
        {
            options.Authority = authority;
            options.Audience = mode.Audience;
            options.RequireHttpsMetadata = !BrowserSignIn.IsLoopback(authority);
        }
        else if (mode.SigningKey is { } key)
        {
            options.TokenValidationParameters.ValidIssuer = AuthOptions.LocalIssuer;
            options.TokenValidationParameters.ValidAudience = AuthOptions.LocalIssuer;
            options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key));
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }

    /// <summary>401 as a problem, with the scheme(s) to authenticate by.</summary>
    public static Task Unauthenticated(HttpContext http, string wwwAuthenticate, string detail)
    {
        http.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        return new Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Who is asking?", detail).ToResult().ExecuteAsync(http);
    }
}
