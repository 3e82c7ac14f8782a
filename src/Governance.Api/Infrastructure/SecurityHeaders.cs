namespace Governance.Infrastructure;

/// <summary>
/// Headers that keep browsers from misusing the API's answers: no content sniffing, no framing, no
/// referrer, nothing cached (answers are per caller), and no scripts or styles from an API answer
/// (the Swagger UI, a page of its own, keeps what it needs). HSTS outside Development.
/// </summary>
public static class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((http, next) =>
        {
            // When the answer starts: an error handler clears the headers of the answer it replaces.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (Web.WebSetup.IsWebPath(http.Request.Path))
                {
                    // The web app's pages and files: their own scripts, styles and images only.
                    headers.ContentSecurityPolicy = Web.WebSetup.ContentSecurityPolicy;
                    if (!headers.ContainsKey("Cache-Control")) headers.CacheControl = "no-store";
                }
                else if (!http.Request.Path.StartsWithSegments("/swagger"))
                {
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }
}
