namespace Governance.Identity;

/// <summary>The authentication schemes, and the claims they put on a caller.</summary>
public static class Schemes
{
    /// <summary>Chooses the scheme from the Authorization header.</summary>
    public const string Selector = "Governance";
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string Development = "Development";

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

    /// <summary>Bearer tokens and API keys by their header; no credentials: the development user in development mode, else none (401).</summary>
    public static string For(HttpContext http, AuthMode mode)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Bearer;
        if (header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return ApiKey;
        return mode.Development && header.Length == 0 ? Development : Bearer;
    }
}
