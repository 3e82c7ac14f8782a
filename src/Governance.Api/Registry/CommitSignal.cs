using Marten;
using Marten.Services;

namespace Governance.Registry;

/// <summary>
/// Counts this process's committed Marten sessions, so a question can wait until the live registry
/// has read every event committed before it was asked (read-your-writes).
/// </summary>
public sealed class CommitSignal : DocumentSessionListenerBase
{
    private long _commits;

    public long Commits => Interlocked.Read(ref _commits);

    public event Action? Committed;

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        Interlocked.Increment(ref _commits);
        Committed?.Invoke();
        return Task.CompletedTask;
    }
}
