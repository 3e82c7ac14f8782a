using System.Net;
using System.Text.RegularExpressions;
using FluentAssertions;
using Governance.Tests.Support;
using OpenTelemetry.Trace;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed partial class TelemetryTests(GovernanceApp app)
{
    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static double? Sample(string scrape, string metric, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .Select(line => (double?)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private async Task<string> ScrapeAsync()
    {
        var response = await app.Client.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_who_decides_question_by_key_is_timed_under_its_kind()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var refunds = await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        await org.AssignAsync(refunds, await org.PersonAsync("Ana"));
        var first = await ScrapeAsync();
        var before = Sample(first, "governance_who_decides_duration_seconds_count", "kind=\"key\"") ?? 0;
        var textBefore = Sample(first, "governance_who_decides_duration_seconds_count", "kind=\"text\"") ?? 0;

        var answer = await org.WhoDecidesAsync("refunds");
        await org.GetAsync("decision-makers?q=refunds");
        var scrape = await ScrapeAsync();

        Sample(scrape, "governance_who_decides_duration_seconds_count", "kind=\"key\"").Should().BeGreaterThanOrEqualTo(before + 1);
        Sample(scrape, "governance_who_decides_duration_seconds_count", "kind=\"text\"").Should().BeGreaterThanOrEqualTo(textBefore + 1);
        Sample(scrape, "governance_who_decides_duration_seconds_bucket", "kind=\"key\"", "le=\"+Inf\"").Should().BeGreaterThanOrEqualTo(before + 1);
        // The live registry has applied at least the sequence the answer reflects.
        Sample(scrape, "governance_registry_sequence").Should().BeGreaterThanOrEqualTo(answer.GetProperty("sequence").GetInt64());
        Sample(scrape, "governance_registry_lag_seconds").Should().NotBeNull();
        Sample(scrape, "governance_events_appended_total").Should().BePositive();
    }

    [Fact]
    public async Task The_scrape_has_the_http_server_metrics_by_route_template_and_no_organisation_in_it()
    {
        var org = await Scenario.FoundAsync(app.Client, "Telemetry Secret Name");
        await org.RoleAsync(org.AnchorCircleId, "Refunds Agent", "refunds");
        await org.WhoDecidesAsync("refunds");
        (await app.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}/decision-makers?domain=refunds")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var scrape = await ScrapeAsync();

        Sample(scrape, "http_server_request_duration_seconds_count", "http_route=\"/api/orgs/{orgId}/decision-makers\"", "http_response_status_code=\"200\"")
            .Should().BePositive();
        scrape.Should().NotContainEquivalentOf(org.OrgId.ToString());
        scrape.Should().NotContainEquivalentOf(org.OrgId.ToString("N"));
        scrape.Should().NotContainEquivalentOf("Telemetry Secret Name");
        // No label carries an id of any kind, but the instance's own (a random one OpenTelemetry gives each process).
        scrape.Split('\n').Where(line => !line.StartsWith("target_info{", StringComparison.Ordinal) && IdPattern().IsMatch(line)).Should().BeEmpty();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        scrape.Should().NotContain($"Database={database}", "the service's pool is labelled by its name, not its connection string");
        Sample(scrape, "dotnet_gc_collections_total").Should().NotBeNull("runtime metrics are exported");
        Sample(scrape, "db_client_operation_duration_seconds_count", "db_client_connection_pool_name=\"governance\"").Should().NotBeNull("Npgsql's metrics are exported");
    }

    [Fact]
    public async Task Outside_development_another_machine_or_a_proxy_cannot_scrape_unless_configured()
    {
        var refused = await app.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = "/metrics";
            http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });
        refused.Response.StatusCode.Should().Be((int)HttpStatusCode.NotFound);
        refused.Response.ContentType.Should().Be("application/problem+json");

        // A proxy on this machine relays the whole world's requests from a loopback address.
        var relayed = await app.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = "/metrics";
            http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            http.Connection.RemoteIpAddress = IPAddress.Loopback;
        });
        relayed.Response.StatusCode.Should().Be((int)HttpStatusCode.NotFound);

        var local = await app.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = "/metrics";
            http.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;
        });
        local.Response.StatusCode.Should().Be((int)HttpStatusCode.OK);
        // Read to the end: a scrape holds the exporter's one collection until its body is read.
        (await new StreamReader(local.Response.Body).ReadToEndAsync()).Should().Contain("governance_registry_sequence");
    }

    [Fact]
    public async Task With_a_collector_configured_a_request_is_traced_from_asp_net_core_down_to_its_sql()
    {
        var spans = new List<System.Diagnostics.Activity>();
        // Traces are recorded when a collector is configured (here a port nothing listens on; the test reads them in memory).
        await using var traced = AnotherInstance.Start(app, new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" },
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        var client = traced.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GovernanceApp.TokenFor(GovernanceApp.TesterEmail, "Tester"));

        var org = await Scenario.FoundAsync(client);

        // A span is exported when it ends, which may be just after the answer reached the client.
        System.Diagnostics.Activity? server = null;
        for (var i = 0; i < 100 && server is null; i++)
        {
            lock (spans) server = spans.FirstOrDefault(s => s.Source.Name == "Microsoft.AspNetCore" && Equals(s.GetTagItem("http.route"), "/api/orgs"));
            if (server is null) await Task.Delay(50);
        }
        server.Should().NotBeNull("ASP.NET Core's request span is exported");
        List<System.Diagnostics.Activity> below;
        lock (spans) below = [.. spans.Where(s => s.TraceId == server!.TraceId && s != server)];
        below.Should().Contain(s => s.Source.Name == "Npgsql", "the founding's SQL runs inside the request's trace");
        org.OrgId.Should().NotBeEmpty();
    }

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex IdPattern();
}
