using System.Diagnostics;
using System.Diagnostics.Metrics;
using Governance.Registry;

namespace Governance.Telemetry;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/> (docs/telemetry.md). No tag
/// ever carries an organisation's id or name: the scrape would tell who uses this service.
/// </summary>
public static class GovernanceMetrics
{
    public const string MeterName = "Governance";

    /// <summary>Webhook deliveries pending (waiting for their first attempt or a retry), in the whole database: a gauge.</summary>
    public const string WebhookBacklog = "governance.webhooks.backlog";

    /// <summary>Webhook delivery attempts that failed, tagged <c>final</c> when the delivery gave up: a counter.</summary>
    public const string WebhookFailures = "governance.webhooks.failures";

    /// <summary>Webhook deliveries a target accepted: a counter.</summary>
    public const string WebhooksDelivered = "governance.webhooks.delivered";

    /// <summary>The kinds of who-decides question, the one tag of <see cref="WhoDecidesDuration"/>.</summary>
    public static class Kind
    {
        public const string Key = "key";
        public const string Text = "text";
        public const string AsOf = "asOf";
        public const string Batch = "batch";
    }

    // Static: the who-decides functions are static and called from endpoints, pages and the MCP tools alike.
    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> WhoDecidesDuration = Meter.CreateHistogram(
        "governance.who_decides.duration", unit: "s", description: "Time to answer a who-decides question (a batch counts once), by kind of question.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    private static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>(
        "governance.events.appended", unit: "{event}", description: "Events this instance committed to the event store.");

    private static readonly Counter<long> WebhookFailureCount = Meter.CreateCounter<long>(
        WebhookFailures, unit: "{attempt}", description: "Webhook delivery attempts that failed; final=true when the delivery gave up after its last attempt.");

    private static readonly Counter<long> WebhookDeliveredCount = Meter.CreateCounter<long>(
        WebhooksDelivered, unit: "{delivery}", description: "Webhook deliveries a target accepted (2xx).");

    // -1: not counted yet (no gauge value rather than a false zero).
    private static long _webhookBacklog = -1;

    private static readonly ObservableGauge<long> WebhookBacklogGauge = Meter.CreateObservableGauge(WebhookBacklog,
        () => Volatile.Read(ref _webhookBacklog) is var pending and >= 0 ? [new Measurement<long>(pending)] : Array.Empty<Measurement<long>>(),
        unit: "{delivery}", description: "Webhook deliveries pending in the database (first attempt or a retry to come), counted every few seconds.");

    /// <summary>
    /// The live registries whose lag the gauges report: the one of this process in service; the
    /// latest started in a test run with several hosts. Static like the meter: OpenTelemetry treats
    /// instruments of one name on meters of one name as one, so a second host's own gauges would
    /// merge with the first's and take them away when disposed.
    /// </summary>
    private static readonly List<LiveRegistry> Registries = [];

    // Observed at each collection (a scrape, an OTLP export): nothing runs between them.
    private static readonly ObservableGauge<long> RegistrySequence = Meter.CreateObservableGauge("governance.registry.sequence", () => Observed(r => r.Sequence),
        unit: "{event}", description: "The highest event sequence the live registry has applied.");

    private static readonly ObservableGauge<double> RegistryLag = Meter.CreateObservableGauge("governance.registry.lag", () => Observed(r => r.SinceLastRead.TotalSeconds),
        unit: "s", description: "Time since the live registry's last completed read of the event store began; every event committed before it is applied.");

    /// <summary>Reports <paramref name="registry"/> in the registry gauges until disposed.</summary>
    public static IDisposable Observe(LiveRegistry registry)
    {
        lock (Registries) Registries.Add(registry);
        return new Unobserve(registry);
    }

    private static IEnumerable<Measurement<T>> Observed<T>(Func<LiveRegistry, T> value) where T : struct
    {
        LiveRegistry? registry;
        lock (Registries) registry = Registries.Count > 0 ? Registries[^1] : null;
        return registry is null ? [] : [new Measurement<T>(value(registry))];
    }

    private sealed class Unobserve(LiveRegistry registry) : IDisposable
    {
        public void Dispose()
        {
            lock (Registries) Registries.Remove(registry);
        }
    }

    /// <summary>Records a who-decides answer begun at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void WhoDecidesAnswered(string kind, long started) =>
        WhoDecidesDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    public static void Appended(int events)
    {
        if (events > 0) EventsAppended.Add(events);
    }

    public static void WebhookDelivered() => WebhookDeliveredCount.Add(1);

    public static void WebhookAttemptFailed(bool final) => WebhookFailureCount.Add(1, new KeyValuePair<string, object?>("final", final));

    public static void WebhookBacklogCounted(long pending) => Volatile.Write(ref _webhookBacklog, pending);
}
