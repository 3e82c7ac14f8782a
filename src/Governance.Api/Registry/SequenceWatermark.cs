namespace Governance.Registry;

/// <summary>
/// How far the event store has been read for certain. Sequence numbers are taken when an event is
/// inserted, so a transaction still in flight leaves a gap that its commit may fill later: the
/// watermark stops before a gap and moves past it only when the gap is settled (a
/// <see cref="SequenceFence"/> showed that no open transaction can still commit in it, so what
/// was not read after that was rolled back). Everything at or below the watermark has been read;
/// reading resumes after it.
/// </summary>
public sealed class SequenceWatermark
{
    private readonly SortedSet<long> _above = [];

    public long Value { get; private set; }

    /// <summary>Sequence numbers moved over without an event (their transactions rolled back).</summary>
    public long Skipped { get; private set; }

    /// <summary>True while events were read above a sequence that was not (yet) read.</summary>
    public bool HasGap => _above.Count > 0;

    /// <summary>Starts reading after a sequence at or below which everything is committed or gone for good.</summary>
    public void Start(long settled)
    {
        _above.Clear();
        Value = settled;
    }

    /// <summary>Notes an event read.</summary>
    public void Read(long sequence)
    {
        if (sequence > Value) _above.Add(sequence);
    }

    /// <summary>
    /// Moves over every contiguous sequence read, and over sequences never read at or below
    /// <paramref name="settled"/>: the caller read, after settling them, everything committed up to there.
    /// </summary>
    /// <returns>The sequences moved over without an event, as (first, last) pairs.</returns>
    public IReadOnlyList<(long From, long To)> Advance(long settled)
    {
        var skipped = new List<(long, long)>();
        while (true)
        {
            var next = _above.Count > 0 ? _above.Min : long.MaxValue;
            if (next == Value + 1)
            {
                _above.Remove(next);
                Value = next;
                continue;
            }
            var gapEnd = Math.Min(next - 1, settled);
            if (gapEnd <= Value) return skipped;
            skipped.Add((Value + 1, gapEnd));
            Skipped += gapEnd - Value;
            Value = gapEnd;
        }
    }
}
