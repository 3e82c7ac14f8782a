using Governance.Telemetry;
using Marten;
using Marten.Services;

namespace Governance.Registry;

/// <summary>
/// Counts this process's committed Marten sessions, so a question can wait until the live registry
/// has read every event committed before it was asked (read-your-writes), and tells other instances
/// of each commit of events through PostgreSQL itself (<see cref="Channel"/>, see <see cref="CommitNotifications"/>).
/// </summary>
public sealed class CommitSignal : DocumentSessionListenerBase
{
    /// <summary>The PostgreSQL notification channel every commit of events is announced on.</summary>
    public const string Channel = "governance_events";

    private long _commits;

    public long Commits => Interlocked.Read(ref _commits);

    public event Action? Committed;

    /// <summary>A notification sent in the writing transaction: PostgreSQL delivers it at the commit, never for a rollback.</summary>
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (session.PendingChanges.Streams().Any()) session.QueueSqlCommand($"select pg_notify('{Channel}', '')");
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        Interlocked.Increment(ref _commits);
        GovernanceMetrics.Appended(commit.GetEvents().Count());
        Committed?.Invoke();
        return Task.CompletedTask;
    }
}
