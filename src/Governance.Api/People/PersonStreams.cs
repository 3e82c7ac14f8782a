using Governance.Registry;
using Marten;

namespace Governance.People;

/// <summary>
/// The lock on a person's stream. Whoever changes a person, assigns or elects them, or removes them
/// takes it first (then the organisation's, then roles' in id order), so no assignment can slip in
/// beside a removal and the order of locks never crosses.
/// </summary>
public static class PersonStreams
{
    /// <summary>
    /// Locks the person's stream until the session commits, and reads the person (null: no such person in the
    /// organisation, or removed). The row lock Marten's <c>FetchForExclusiveWriting</c> takes, without its stream
    /// handle: a stream fetched for writing has its events sequenced first in the transaction, and a removal's
    /// <c>PersonRemoved</c> must come after the unassignments it ends with. Append to the stream with
    /// <c>session.Events.Append</c> after this.
    /// </summary>
    public static async Task<Person?> LockAsync(IDocumentSession session, Guid orgId, Guid personId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var streams = $"{session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams";
        await session.QueryAsync<long>($"select version from {streams} where id = ? for update", ct, personId);
        return await session.PersonAsync(orgId, personId, ct);
    }
}
