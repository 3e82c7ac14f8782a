using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.People;
using Governance.Roles;
using Marten;

namespace Governance.Import;

/// <summary>
/// Writes for real: each circle's output through <see cref="ApplyingGovernance.ApplyAsync(CircleState, IReadOnlyList{GovernanceChange}, long?, Guid?, IDocumentSession, CancellationToken, Func{CircleSnapshot, Problem?}?, Guid?, StruckRecord?)"/>
/// (the same rules, the circle's governance log and version) in a transaction of its own; then
/// people, then assignments, then elections, each a transaction, taking the locks their endpoints take.
/// </summary>
public sealed class CommittingWriter(IDocumentSession session, Guid orgId) : IImportWriter
{
    public async Task<(GovernanceDecision? Decision, Problem? Problem, int? Index)> GovernAsync(CircleState state, IReadOnlyList<GovernanceChange> changes, CancellationToken ct)
    {
        var outcome = await ApplyingGovernance.ApplyAsync(state, changes, state.Version, proposalId: null, session, ct);
        if (outcome.Problem is not null) return (null, outcome.Problem, outcome.ChangeIndex);
        await session.SaveChangesAsync(ct);
        return (outcome.Decision, null, null);
    }

    public async Task RecordAsync(IReadOnlyList<(Guid StreamId, bool Starts, IReadOnlyList<object> Events)> streams, CancellationToken ct)
    {
        if (streams.Count == 0) return;
        // People first (their locks come before roles'), then roles in id order, as every writer takes them.
        foreach (var (id, starts, events) in streams.OrderBy(s => s.Events[0] is IRoleEvent).ThenBy(s => s.StreamId))
        {
            if (starts && events[0] is IRoleEvent) session.Events.StartStream<Role>(id, [.. events]);
            else if (starts) session.Events.StartStream(id, [.. events]);
            else if (events[0] is IPersonEvent)
            {
                await PersonStreams.LockAsync(session, orgId, id, ct);
                session.Events.Append(id, [.. events]);
            }
            else (await session.Events.FetchForExclusiveWriting<Role>(id, ct)).AppendMany([.. events]);
        }
        await session.SaveChangesAsync(ct);
    }
}

/// <summary>A dry run: the same rules judge each circle's output, and nothing is written.</summary>
public sealed class DryRunWriter : IImportWriter
{
    public Task<(GovernanceDecision? Decision, Problem? Problem, int? Index)> GovernAsync(CircleState state, IReadOnlyList<GovernanceChange> changes, CancellationToken ct) =>
        Task.FromResult(GovernanceRules.Decide(state.Snapshot, changes, Guid.CreateVersion7));

    public Task RecordAsync(IReadOnlyList<(Guid StreamId, bool Starts, IReadOnlyList<object> Events)> streams, CancellationToken ct) => Task.CompletedTask;
}
