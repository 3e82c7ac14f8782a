using System.Text.Json;
using Governance.Registry;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Governance.Infrastructure;

/// <summary>
/// Every error leaves as RFC 9457 <c>application/problem+json</c>: malformed input 400, concurrent
/// changes 409, an unreachable database 503. Only a genuine bug is a 500.
/// </summary>
public static class ProblemHandling
{
    public static WebApplicationBuilder AddGovernanceProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Type ??= Problem.TypePrefix + $"http-{context.ProblemDetails.Status}";
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // The framework's own refusals (no such route, method or media type) say what to do too.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is no such route; GET /swagger/v1/swagger.json lists them.",
                StatusCodes.Status405MethodNotAllowed => "This route does not take this method; GET /swagger/v1/swagger.json lists the methods of each route.",
                StatusCodes.Status406NotAcceptable => "The service answers application/json (problems: application/problem+json).",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => context.ProblemDetails.Title,
            };
        });
        builder.Services.AddExceptionHandler<GovernanceExceptionHandler>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }

    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication UseGovernanceProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Kestrel enforces the limit while streaming; this refuses a declared oversize body up front,
        // on every server (the test server included).
        // A route that takes more says so with [RequestSizeLimit] (the import: a whole organisation) and raises the server's limit itself.
        app.Use((http, next) => http.Request.ContentLength > (http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBodyBytes)
            ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
            : next(http));
        return app;
    }
}

internal sealed class GovernanceExceptionHandler(IProblemDetailsService problems, ILogger<GovernanceExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, type, title, detail) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", http.Request.Method, http.Request.Path);
        }
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Type = Problem.TypePrefix + type,
                Title = title,
                Detail = detail,
            },
        });
    }

    private static (int Status, string Type, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "body-too-large", "The request body is too large.", $"Request bodies are limited to {ProblemHandling.MaxRequestBodyBytes} bytes."),
        BadHttpRequestException bad when bad.InnerException is JsonException json =>
            (400, "malformed-json", "The request body is not valid.", JsonDetail(json)),
        BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request is malformed.", bad.Message),
        JsonException json => (400, "malformed-json", "The request body is not valid.", JsonDetail(json)),
        RegistryUnavailableException unavailable => (503, "registry-unavailable", "The registry is not up to date.", unavailable.Message),
        _ when IsConcurrentChange(exception) =>
            (409, "concurrent-change", "Conflict.", "Someone else changed the same data at the same moment; read it again and retry."),
        _ when Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.UniqueViolation } || Find<DocumentAlreadyExistsException>(exception) is not null =>
            (409, "already-exists", "Conflict.", "This would duplicate something that must be unique; read it again and retry."),
        _ when Find<NpgsqlException>(exception) is { } npgsql && (npgsql is not PostgresException || IsDatabaseGoingAway((PostgresException)npgsql))
            || Find<TimeoutException>(exception) is not null =>
            (503, "database-unavailable", "The database is unavailable.", "The service cannot reach its database right now; retry shortly."),
        _ => (500, "internal-error", "An unexpected error occurred.", "The error was logged."),
    };

    /// <summary>Optimistic-concurrency failures, stream locks and the database's own deadlock or serialization aborts: all retryable conflicts.</summary>
    private static bool IsConcurrentChange(Exception exception) =>
        Find<ConcurrencyException>(exception) is not null
        || Find<EventStreamUnexpectedMaxEventIdException>(exception) is not null
        || Find<Marten.Exceptions.StreamLockedException>(exception) is not null
        || Find<JasperFx.Events.StreamLockedException>(exception) is not null
        || Find<Marten.Exceptions.ExistingStreamIdCollisionException>(exception) is not null
        || Find<JasperFx.Events.ExistingStreamIdCollisionException>(exception) is not null
        || Find<PostgresException>(exception)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.LockNotAvailable or "MT003";

    /// <summary>
    /// The server shutting down, starting up, out of connections, the connection lost, a standby
    /// reached after a failover (read only), or a statement over its time limit: retryable.
    /// </summary>
    private static bool IsDatabaseGoingAway(PostgresException postgres) =>
        postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.QueryCanceled;

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match) return match;
            if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate && Find<T>(aggregate.InnerExceptions[0]) is { } inner) return inner;
        }
        return null;
    }

    private static string JsonDetail(JsonException json) =>
        json.Path is { Length: > 0 } path ? $"{FirstSentence(json.Message)} (at {path})" : FirstSentence(json.Message);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
