namespace Governance.Identity;

/// <summary>The right an endpoint needs; <see cref="Standing"/> checks it before the endpoint runs.</summary>
public enum Right
{
    /// <summary>Founding an organisation: any signed-in person (never an API key).</summary>
    Found,
    /// <summary>The registry and who-decides: every person of the organisation, keys with <c>registry:read</c>.</summary>
    Read,
    /// <summary>History, timelines, the export: admins, keys with <c>audit:read</c>.</summary>
    Audit,
    /// <summary>Writes: people of the organisation (the endpoint checks the constitution's finer rule); never an API key.</summary>
    Write,
    /// <summary>The organisation's admins (never an API key: keys only read).</summary>
    Administer,
}

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class RequiresAttribute(Right right) : Attribute
{
    public Right Right { get; } = right;
}
