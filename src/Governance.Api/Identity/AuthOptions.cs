namespace Governance.Identity;

/// <summary>
/// <c>Governance:Auth</c> (environment: <c>Governance__Auth__...</c>): how callers prove who they are.
/// An OpenID Connect <see cref="Authority"/> (its JWKS) or an HS256 <see cref="SigningKey"/> for
/// tokens, and <see cref="Development"/>: requests without credentials act as the development user.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Governance:Auth";

    /// <summary>The <c>iss</c> and <c>aud</c> of tokens signed with <see cref="SigningKey"/>.</summary>
    public const string LocalIssuer = "governance";

    public const int MinSigningKeyBytes = 32;

    public string? SigningKey { get; set; }
    public string? Authority { get; set; }
    public string? Audience { get; set; }
    public bool? Development { get; set; }

    /// <summary>The web app's client at the <see cref="Authority"/>: with it, people sign in to the pages by the OpenID Connect code flow.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret, when the provider registered the web app as a confidential client (PKCE is used either way).</summary>
    public string? ClientSecret { get; set; }
}

/// <summary>The service cannot start with the auth configuration it has; the message says what to set.</summary>
public sealed class AuthNotConfiguredException(string message) : Exception(message);

/// <summary>What the configuration amounts to, decided once at start-up.</summary>
public sealed record AuthMode(bool Development, string? SigningKey, string? Authority, string? Audience, string? ClientId = null, string? ClientSecret = null)
{
    /// <summary>People sign in to the pages at the authority (code flow), not with a pasted token.</summary>
    public bool BrowserSignInAtAuthority => Authority is not null && ClientId is not null;

    /// <summary>
    /// Secure by default: outside the Development environment the service refuses to start without
    /// a signing key or an authority, unless development mode is asked for explicitly. A command that
    /// answers no request (<c>db-apply</c>, <c>verify</c>, ...; <paramref name="servesRequests"/> false)
    /// needs no sign-in, so none configured is no refusal there; what is configured is still checked.
    /// </summary>
    public static AuthMode Of(AuthOptions options, IHostEnvironment environment, bool servesRequests = true)
    {
        var signingKey = string.IsNullOrWhiteSpace(options.SigningKey) ? null : options.SigningKey;
        var authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
        if (signingKey is not null && System.Text.Encoding.UTF8.GetByteCount(signingKey) < AuthOptions.MinSigningKeyBytes)
        {
            throw new AuthNotConfiguredException(
                $"Governance__Auth__SigningKey must be at least {AuthOptions.MinSigningKeyBytes} bytes; generate one with: openssl rand -base64 48");
        }
        if (authority is not null && signingKey is not null)
        {
            throw new AuthNotConfiguredException(
                "Set either Governance__Auth__Authority (OpenID Connect) or Governance__Auth__SigningKey (local tokens), not both.");
        }
        if (authority is not null && string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new AuthNotConfiguredException(
                "Governance__Auth__Authority needs Governance__Auth__Audience: the audience the provider issues the service's tokens for.");
        }
        if (!string.IsNullOrWhiteSpace(options.ClientId) && authority is null)
        {
            throw new AuthNotConfiguredException(
                "Governance__Auth__ClientId is the web app's client at an OpenID Connect provider: set Governance__Auth__Authority too.");
        }
        var development = options.Development ?? (environment.IsDevelopment() && signingKey is null && authority is null);
        if (!development && signingKey is null && authority is null && servesRequests)
        {
            throw new AuthNotConfiguredException(
                "No authentication is configured: set Governance__Auth__SigningKey (HS256, >= 32 bytes) or Governance__Auth__Authority (OpenID Connect), or Governance__Auth__Development=true for a trusted development setup.");
        }
        return new AuthMode(development, signingKey, authority, NullIfBlank(options.Audience), NullIfBlank(options.ClientId), NullIfBlank(options.ClientSecret));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
