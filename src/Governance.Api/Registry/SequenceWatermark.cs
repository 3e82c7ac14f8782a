namespace Governance.Registry;

/// <summary>
/// How far the event store has been read for certain. Sequence numbers are taken when an event is
/// inserted, so a transaction still in flight leaves a gap that a later commit may fill: the
/// watermark stops before a gap, and moves past it only once the first event after it is older
/// than the timeout (the transaction that took the number was rolled back). Everything at or below
/// the watermark has been read; reading resumes after it.
/// </summary>
public sealed class SequenceWatermark(TimeSpan gapTimeout)
{
    private readonly SortedDictionary<long, DateTimeOffset> _above = [];

    public long Value { get; private set; }

    /// <summary>Sequences given up on so far (rolled back, or committed too late to be waited for).</summary>
    public long Skipped { get; private set; }

    /// <summary>Notes an event read, with the time it was appended.</summary>
    public void Read(long sequence, DateTimeOffset appended)
    {
        if (sequence > Value) _above.TryAdd(sequence, appended);
    }

    /// <summary>Moves over every contiguous sequence read, and over gaps old enough to be given up.</summary>
    /// <returns>The gaps given up on, as (first, last) pairs.</returns>
    public IReadOnlyList<(long From, long To)> Advance(DateTimeOffset now)
    {
        var skipped = new List<(long, long)>();
        while (_above.Count > 0)
        {
            var (next, appended) = _above.First();
            if (next != Value + 1)
            {
                if (now - appended < gapTimeout) break;
                skipped.Add((Value + 1, next - 1));
                Skipped += next - 1 - Value;
            }
            _above.Remove(next);
            Value = next;
        }
        return skipped;
    }
}
