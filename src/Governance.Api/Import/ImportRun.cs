using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.Registry;
using JasperFx.Events;

namespace Governance.Import;

/// <summary>How a run records what it decided: for real (appended and committed) or not at all (a dry run).</summary>
public interface IImportWriter
{
    /// <summary>One governance output for a circle through the governance path (its rules, its log); null decision: refused.</summary>
    Task<(GovernanceDecision? Decision, Problem? Problem, int? Index)> GovernAsync(CircleState state, IReadOnlyList<GovernanceChange> changes, CancellationToken ct);

    /// <summary>Events of people and assignments, per stream; <c>Starts</c>: the stream is new.</summary>
    Task RecordAsync(IReadOnlyList<(Guid StreamId, bool Starts, IReadOnlyList<object> Events)> streams, CancellationToken ct);
}

/// <summary>
/// Carries an import out on a working copy of the organisation (the registry's own fold, so every
/// step sees what the steps before it decided, written or not): one governance output per circle,
/// from the Anchor Circle down (a circle's roles are defined before the roles inside them), then
/// people, assignments and elections. A change the rules refuse is left out (reported with its
/// reason and section) and the rest of the circle's output is judged again without it.
/// </summary>
public sealed partial class ImportRun(OrganisationRegistry working, IReadOnlyDictionary<string, string> map, IImportWriter writer, ImportTally tally, Action<string>? progress = null)
{
    public IRegistrySnapshot Now => working.Snapshot(DateTimeOffset.UtcNow, working.Sequence)!;

    public async Task CirclesAsync(SourceRole anchor, CancellationToken ct)
    {
        var queue = new Queue<(SourceCircle Source, Guid CircleId, List<string> Path)>();
        queue.Enqueue((anchor.Circle!, Now.Organisation.AnchorCircleId, [anchor.Name]));
        while (queue.TryDequeue(out var next))
        {
            var (source, circleId, path) = next;
            progress?.Invoke(string.Join("/", path));
            var planned = CirclePlanning.Plan(source, path, Now.Roles[circleId], [.. Now.RolesIn(circleId)], map, tally);
            // A governance output carries at most MaxChangesPerBatch changes: a larger circle takes several.
            foreach (var chunk in planned.Chunk(GovernanceRules.MaxChangesPerBatch)) await GovernAsync(circleId, [.. chunk], ct);
            var imported = Now.RolesIn(circleId).Where(r => r.ExternalId is not null).GroupBy(r => r.ExternalId!).ToDictionary(g => g.Key, g => g.First());
            foreach (var role in source.Roles.Where(r => r.Circle is not null))
            {
                if (imported.GetValueOrDefault(role.ExternalId) is { IsCircle: true } circle) queue.Enqueue((role.Circle!, circle.Id, [.. path, role.Name]));
                else tally.Skip($"circle '{role.Name}' in '{string.Join("/", path)}'", "the circle was not created, so nothing inside it was imported");
            }
        }
    }

    private async Task GovernAsync(Guid circleId, List<PlannedChange> planned, CancellationToken ct)
    {
        while (planned.Count > 0)
        {
            var now = Now;
            var circle = now.Roles[circleId];
            var subVersions = now.RolesIn(circleId).Where(r => r.IsCircle).ToDictionary(r => r.Id, r => now.GovernanceVersion(r.Id));
            var state = new CircleState(now.GovernanceVersion(circleId), ApplyingGovernance.SnapshotOf(now, circle), subVersions);
            var (decision, problem, index) = await writer.GovernAsync(state, [.. planned.Select(p => p.Change)], ct);
            if (decision is not null)
            {
                foreach (var e in decision.Events) Fold(e.StreamId, e.Event);
                Fold(circleId, new GovernanceChangesAdopted(circleId, circle.OrgId, []));
                foreach (var p in planned)
                {
                    if (p.Updates is { } updated) tally.Updated(p.Kind, updated);
                    else tally.Created(p.Kind);
                }
                return;
            }
            var reason = problem is null ? "refused" : problem.Rule is { } rule ? $"{rule}: {problem.Detail}" : problem.Detail;
            if (index is not { } i || i < 0 || i >= planned.Count)
            {
                foreach (var p in planned.DistinctBy(p => p.Item)) tally.Skip(p.Item, reason);
                return;
            }
            tally.Skip($"{planned[i].Change.OpName} of {planned[i].Item}", reason);
            planned.RemoveAt(i);
        }
    }

    /// <summary>Folds an event into the working copy, as the registry folds a committed one.</summary>
    public void Fold(Guid streamId, object data) => working.Apply(new Event<object>(data) { StreamId = streamId });
}
