namespace Governance.Registry;

/// <summary>How much of the event store the live registry keeps in memory (docs/configuration.md).</summary>
public sealed class RegistryOptions
{
    public const string Section = "Governance:Registry";

    /// <summary>
    /// What one folded event costs in memory with its share of roles, history and text index, as
    /// measured (docs/benchmarks.md, "Memory"): what turns <see cref="MemoryBudgetMB"/> into events.
    /// </summary>
    public const int BytesPerEvent = 1_200;

    /// <summary>
    /// Organisations are dropped from memory, least recently used first, while the events they hold
    /// would take more than this; an organisation read within <see cref="KeepInUse"/> is never dropped.
    /// </summary>
    public double MemoryBudgetMB { get; set; } = 512;

    /// <summary>
    /// An organisation read within this long is in use: the memory budget never drops it. A second
    /// (as before 2026-12-02) let one organisation larger than the budget be dropped whenever its
    /// questions paused, and every next question wait seconds for it to load again.
    /// </summary>
    public TimeSpan KeepInUse { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An organisation no read has used for this long is dropped from memory (it loads again on its next read).</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A snapshot of an organisation is written when loading it folded at least this many events after its last
    /// snapshot, and when it is dropped with this many folded since; the next load reads the snapshot and the events after it.
    /// </summary>
    public int SnapshotAfter { get; set; } = 1_000;

    /// <summary>The budget in folded events.</summary>
    public long EventBudget => (long)(MemoryBudgetMB * 1024 * 1024 / BytesPerEvent);
}
