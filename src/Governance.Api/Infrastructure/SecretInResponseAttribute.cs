namespace Governance.Infrastructure;

/// <summary>The answer carries a secret shown once (a new API key): it is never stored for an Idempotency-Key replay.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SecretInResponseAttribute : Attribute;
