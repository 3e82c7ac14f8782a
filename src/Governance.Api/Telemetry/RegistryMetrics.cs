using System.Diagnostics.Metrics;
using Governance.Registry;

namespace Governance.Telemetry;

/// <summary>
/// How far behind the event store this instance's live registry is: the sequence it has applied,
/// and how long ago its last completed read of the store began (everything committed before then is
/// in its answers). Observed at each collection, so nothing runs between scrapes. Per host (through
/// <see cref="IMeterFactory"/>), since the registry is.
/// </summary>
public sealed class RegistryMetrics
{
    public RegistryMetrics(IMeterFactory meters, LiveRegistry registry)
    {
        var meter = meters.Create(GovernanceMetrics.MeterName);
        meter.CreateObservableGauge("governance.registry.sequence", () => registry.Sequence,
            unit: "{event}", description: "The highest event sequence the live registry has applied.");
        meter.CreateObservableGauge("governance.registry.lag", () => registry.SinceLastRead.TotalSeconds,
            unit: "s", description: "Time since the live registry's last completed read of the event store began; every event committed before it is applied.");
    }
}
