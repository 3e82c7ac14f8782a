namespace Governance.Identity;

/// <summary>The authentication schemes, and the claims they put on a caller.</summary>
public static class Schemes
{
    /// <summary>Chooses the scheme from the Authorization header.</summary>
    public const string Selector = "Governance";
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string Development = "Development";

    /// <summary>The web app's sign-in cookie (pages only; the API never reads it, so no page of another site can write through it).</summary>
    public const string Session = "Session";

    /// <summary>The OpenID Connect code flow that signs people in to the pages when a client id is configured.</summary>
    public const string OpenIdConnect = "OpenIdConnect";

    /// <summary>A token's own claims (JWT names, kept as they are).</summary>
    public const string SubjectClaim = "sub";
    public const string EmailClaim = "email";
    public const string EmailVerifiedClaim = "email_verified";
    public const string NameClaim = "name";
    public const string ScopeClaim = "scope";

    /// <summary>Claims the service's own schemes add.</summary>
    public const string ApiKeyIdClaim = "api_key_id";
    public const string OrgIdClaim = "org_id";
    public const string DevelopmentClaim = "development";

    /// <summary>
    /// Bearer tokens and API keys by their header; no credentials: the development user in
    /// development mode, the sign-in cookie on the web app's pages, else none (401).
    /// </summary>
    public static string For(HttpContext http, AuthMode mode)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Bearer;
        if (header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return ApiKey;
        if (header.Length > 0) return Bearer;
        if (mode.Development) return Development;
        return Web.WebSetup.IsWebPath(http.Request.Path) ? Session : Bearer;
    }
}
