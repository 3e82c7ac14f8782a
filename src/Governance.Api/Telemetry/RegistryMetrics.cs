using Governance.Registry;

namespace Governance.Telemetry;

/// <summary>
/// Puts this host's live registry behind the registry gauges of <see cref="GovernanceMetrics"/> for
/// as long as the host lives (a singleton, disposed with it).
/// </summary>
public sealed class RegistryMetrics(LiveRegistry registry) : IDisposable
{
    private readonly IDisposable _observed = GovernanceMetrics.Observe(registry);

    public void Dispose() => _observed.Dispose();
}
