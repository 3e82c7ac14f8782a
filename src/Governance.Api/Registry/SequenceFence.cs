using Marten;
using Npgsql;

namespace Governance.Registry;

/// <summary>
/// Where reading the event store in sequence order is safe, decided from transaction evidence
/// rather than waited out. An event's sequence number is taken (<c>nextval</c>) inside the
/// transaction that appends it, and <c>nextval</c> holds a RowExclusiveLock on the sequence until
/// that transaction ends. So a fence reads the highest number handed out, then which transactions
/// hold that lock: once none of them is still open, every event at or below the fence's
/// <see cref="Fence.High"/> is committed or gone for good, and a read begun after that sees all
/// of them (docs/audit.md, "Reading in sequence order").
/// </summary>
public sealed class SequenceFence(NpgsqlDataSource database, IDocumentStore store)
{
    /// <summary>How often an unsettled fence is looked at again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>The highest sequence handed out, and the transactions that may still commit at or below it.</summary>
    public sealed record Fence(long High, IReadOnlyList<string> Holders)
    {
        /// <summary>True when no transaction was open holding sequence numbers when the fence was observed.</summary>
        public bool Settled => Holders.Count == 0;
    }

    private readonly string _sequence = $"{store.Options.Events.DatabaseSchemaName}.mt_events_sequence";

    /// <summary>Reads the highest sequence handed out, then the open transactions that took numbers (in that order, one round trip).</summary>
    public async Task<Fence> ObserveAsync(CancellationToken ct)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"select case when is_called then last_value else 0 end from {_sequence}"));
        batch.BatchCommands.Add(Holding());
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var high = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var holders = new List<string>();
        while (await reader.ReadAsync(ct)) holders.Add(reader.GetString(0));
        return new Fence(high, holders);
    }

    /// <summary>True once none of the fence's transactions is still open.</summary>
    public async Task<bool> IsSettledAsync(Fence fence, CancellationToken ct)
    {
        if (fence.Settled) return true;
        await using var command = database.CreateCommand();
        var holding = Holding();
        command.CommandText = $"select exists ({holding.CommandText} and l.virtualtransaction = any(@holders))";
        command.Parameters.AddWithValue("holders", fence.Holders.ToArray());
        return !(bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// A sequence number at or below which every event is committed or rolled back for good, as of
    /// now; null when a transaction holding numbers stayed open longer than <paramref name="wait"/>.
    /// </summary>
    public async Task<long?> SettleAsync(TimeSpan wait, CancellationToken ct)
    {
        var fence = await ObserveAsync(ct);
        var deadline = DateTimeOffset.UtcNow + wait;
        while (!await IsSettledAsync(fence, ct))
        {
            if (DateTimeOffset.UtcNow >= deadline) return null;
            await Task.Delay(RecheckInterval, ct);
        }
        return fence.High;
    }

    /// <summary>Open transactions (other than this session's) holding the lock <c>nextval</c> takes on the event sequence.</summary>
    private NpgsqlBatchCommand Holding() => new($"""
        select l.virtualtransaction from pg_locks l
        where l.locktype = 'relation' and l.relation = '{_sequence}'::regclass and l.mode = 'RowExclusiveLock'
          and l.database = (select oid from pg_database where datname = current_database()) and l.pid is distinct from pg_backend_pid()
        """);
}
