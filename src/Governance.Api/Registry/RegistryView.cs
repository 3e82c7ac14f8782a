namespace Governance.Registry;

/// <summary>What a read of one organisation sees: its registry now and in the past, its free-text index, and the last event folded.</summary>
public sealed class RegistryView(LiveOrganisation? organisation, Lexicon lexicon, long sequence)
{
    public long Sequence => sequence;

    public Lexicon Lexicon => lexicon;

    /// <summary>The organisation's free-text index (null: no such organisation).</summary>
    public TextIndex? Text => organisation?.Text;

    /// <summary>
    /// The organisation as it stands (null: no such organisation), reflecting the last event folded
    /// or, when its load read further than that, its own last event.
    /// </summary>
    public IRegistrySnapshot? Now => organisation?.Registry.Snapshot(DateTimeOffset.UtcNow, Math.Max(sequence, organisation.Registry.Sequence));

    /// <summary>The organisation as it stood at a past instant (null: it did not exist then).</summary>
    public IRegistrySnapshot? At(DateTimeOffset instant) => organisation is { HistoryPacked: true }
        ? throw new InvalidOperationException("The organisation's history is still packed: read it with asOf.")
        : organisation?.History.At(instant);

    /// <summary>Now, or at the instant when there is one.</summary>
    public IRegistrySnapshot? Of(DateTimeOffset? instant) => instant is { } at ? At(at) : Now;
}
