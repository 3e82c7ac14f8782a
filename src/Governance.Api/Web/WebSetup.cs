using Governance.Infrastructure;

namespace Governance.Web;

/// <summary>
/// The web app for people (issue 15): server-rendered pages in the same process, reading through
/// the same code as the API (so a page shows what the API would show that caller), and the few
/// static files they need, all served from here: nothing is fetched from the internet.
/// </summary>
public static class WebSetup
{
    public static WebApplicationBuilder AddWebApp(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Web/Pages")
            .AddMvcOptions(options => options.Filters.Add(new ServerTiming()));
        builder.Services.AddScoped<PageWrites>();
        return builder.AddSharedKeyRing();
    }

    /// <summary>Static files, before sign-in: they are the same for everyone (CSS, scripts, the vendored d3-hierarchy).</summary>
    public static WebApplication UseWebAppFiles(this WebApplication app)
    {
        // The project's wwwroot under `dotnet run`, else the copy next to the built service (a test, an operator's `dotnet Governance.Api.dll`).
        var root = new[] { app.Environment.WebRootPath, Path.Combine(AppContext.BaseDirectory, "wwwroot") }
            .FirstOrDefault(dir => dir is not null && File.Exists(Path.Combine(dir, "css", "site.css")));
        if (root is null)
        {
            app.Logger.LogWarning("The web app's files (wwwroot) were not found; its pages will have no styles or scripts.");
            return app;
        }
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root) });
        return app;
    }

    public static WebApplication MapWebApp(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>True for a request the web app answers (not the API, health, OpenAPI).</summary>
    public static bool IsWebPath(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/health") && !path.StartsWithSegments("/swagger") && !path.StartsWithSegments("/metrics");

    /// <summary>The pages' content security policy: their own scripts, styles and images only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
}

/// <summary>Marks a page: refusals before it runs (no standing, no right) are rendered as a page, not as JSON.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class WebPageAttribute : Attribute;

/// <summary>A problem as a small HTML page (the same status, title and detail as the API's problem).</summary>
public static class WebProblem
{
    /// <summary>The API's problem answer as the <see cref="Problem"/> it was made from (its status, type, title, detail and rule).</summary>
    public static Problem From(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult result)
    {
        var details = result.ProblemDetails;
        return new Problem(details.Status ?? 500, details.Type ?? "", details.Title ?? "", details.Detail ?? "",
            details.Extensions.TryGetValue("rule", out var rule) ? rule?.ToString() : null);
    }

    public static async Task WriteAsync(HttpContext http, Problem problem)
    {
        http.Response.StatusCode = problem.Status;
        http.Response.ContentType = "text/html; charset=utf-8";
        var title = System.Net.WebUtility.HtmlEncode(problem.Title);
        var detail = System.Net.WebUtility.HtmlEncode(problem.Detail);
        await http.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · Governance</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main id="main" class="page"><h1>{{title}}</h1><p>{{detail}}</p><p><a href="/">Back to the start</a></p></main></body></html>
            """);
    }
}
