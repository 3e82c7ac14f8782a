using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Governance.Infrastructure;
using Marten;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Governance.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics (ASP.NET Core, HttpClient, Npgsql, Marten, Wolverine, the
/// runtime, our own <see cref="GovernanceMetrics"/>), exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and scraped at <c>GET /metrics</c>; logs as JSON outside
/// Development (docs/telemetry.md).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary><c>true</c>: any client may scrape <see cref="MetricsPath"/>, not only this machine.</summary>
    public const string PublicMetrics = "Governance:Telemetry:PublicMetrics";

    // Marten and Wolverine emit through an ActivitySource and a Meter of these names.
    private static readonly string[] Critters = ["Marten", "Wolverine"];

    public static WebApplicationBuilder AddGovernanceTelemetry(this WebApplicationBuilder builder)
    {
        // Collectors read one JSON object a line; people at a terminal read the plain format. Log lines are
        // never HTML: only what JSON needs is escaped, so a message reads as written (`db-apply`, 'quoted').
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(o => o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "governance"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Critters)
                .AddMeter(GovernanceMetrics.MeterName)
                .AddView(Stream)
                // Each scrape is measured afresh (the exporter would otherwise answer the same text for 300 ms).
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        // Traces only where they go somewhere: without a collector, recording a span per request and per SQL command buys nothing.
        // The standard variables (endpoint, protocol, headers) configure the exporter; without an endpoint nothing is sent anywhere.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(Critters))
                .UseOtlpExporter();
        }
        builder.Services.ConfigureMarten(opts => opts.OpenTelemetry.TrackEventCounters());
        builder.Services.AddSingleton<RegistryMetrics>();
        return builder;
    }

    /// <summary>
    /// How each instrument is aggregated (one view for all: an instrument that several views match
    /// would be exported once per view).
    /// </summary>
    private static MetricStreamConfiguration? Stream(Instrument instrument) => instrument.Name switch
    {
        // Outgoing requests are webhooks: their host (a desk's, chosen by an organisation) would tell who uses this
        // service. Kept: method, status, error; dropped: server.address, server.port, url.scheme, the DNS name asked.
        var name when name.StartsWith("http.client.", StringComparison.Ordinal) => new MetricStreamConfiguration
        {
            TagKeys = ["http.request.method", "http.response.status_code", "error.type", "network.protocol.version"],
            CardinalityLimit = SmallStreamLimit,
        },
        "dns.lookup.duration" => new MetricStreamConfiguration { TagKeys = ["error.type"], CardinalityLimit = SmallStreamLimit },
        // Route × method × status: as the SDK has it (2,000 combinations).
        var name when name.StartsWith("http.server.", StringComparison.Ordinal) => null,
        // Every other stream has a handful of tag combinations (a runtime's generations, a pool, a message type, a
        // question's kind). The SDK allocates each stream's limit of points up front: 2,000 points for each of
        // 65 streams were 11 MB of the heap (docs/benchmarks.md, P6).
        _ => new MetricStreamConfiguration { CardinalityLimit = SmallStreamLimit },
    };

    /// <summary>Tag combinations a stream other than the HTTP server's keeps before it reports the rest as overflow.</summary>
    private const int SmallStreamLimit = 200;

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format, without credentials (a scraper has none) and
    /// never rate limited, like the health probes; outside Development only to this machine unless
    /// <see cref="PublicMetrics"/> is set (docs/telemetry.md). No label names an organisation.
    /// </summary>
    public static WebApplication MapGovernanceMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<RegistryMetrics>();
        var open = app.Environment.IsDevelopment() || app.Configuration.GetValue(PublicMetrics, false);
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (open) return;
            branch.Use((http, next) => MayScrape(http) ? next(http)
                : Problem.NotFound("not-found", "Nothing is served at this address.").ToResult().ExecuteAsync(http));
        }, optionsName: null).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    /// <summary>
    /// This machine only: a loopback address, or none at all (a Unix socket, an in-process test
    /// server); and not relayed by a proxy (which may well run on this machine for the whole world).
    /// </summary>
    public static bool MayScrape(HttpContext http) =>
        (http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote))
        && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");
}
