using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Governance.Web;

/// <summary>
/// <c>Server-Timing: app;dur=…</c> on every page: the time from the page's handler to its rendered
/// result, in milliseconds, so a browser's developer tools and bench/web.sh read the server's share.
/// </summary>
public sealed class ServerTiming : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.Headers["Server-Timing"] = $"app;dur={ms.ToString("0.0", CultureInfo.InvariantCulture)}";
            return Task.CompletedTask;
        });
        await next();
    }
}
