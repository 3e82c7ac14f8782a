namespace Governance.Registry;

/// <summary>The live registry could not follow the event store in time (database unreachable).</summary>
public sealed class RegistryUnavailableException(string message) : Exception(message);
