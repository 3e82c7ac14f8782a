using Governance.Identity;
using Governance.Infrastructure;
using Governance.Meetings;
using Governance.Registry;
using Governance.Roles;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.GovernanceChanges;

/// <summary>A governance output; <c>MeetingId</c>: the circle's open governance meeting that decided it (§5.4), if one did.</summary>
public sealed record GovernanceRequest(IReadOnlyList<GovernanceChange> Changes, Guid? MeetingId = null);

public sealed record GovernanceResponse(long Version, IReadOnlyList<ChangeResult> Results);

/// <summary>A circle as governance judges it: its snapshot, and the governance versions of it and of its sub-circles, read together.</summary>
public sealed record CircleState(long Version, CircleSnapshot Snapshot, IReadOnlyDictionary<Guid, long> SubCircleVersions);

/// <summary>
/// Applies the adopted output of a governance process to one circle: all changes or none, in one
/// transaction, guarded by the circle's governance version (<c>If-Match</c>).
/// </summary>
public static class ApplyingGovernance
{
    /// <summary>Record a governance output: changes to the circle's roles and policies, all or none.</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/governance", OperationId = "applyGovernance"), Tags("Governance")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<GovernanceResponse>, ProblemHttpResult>> Post(
        Guid orgId, Guid circleId, GovernanceRequest request, Caller caller, HttpRequest http,
        LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        long? expectedVersion = null;
        if (IfMatch.Parse(http.Headers.IfMatch) is { } ifMatch)
        {
            if (ifMatch.Problem is { } malformed) return malformed.ToResult();
            expectedVersion = ifMatch.Version;
        }

        IEventStream<Meeting>? meeting = null;
        if (request.MeetingId is { } meetingId)
        {
            (meeting, var notThisMeeting) = await MeetingRecords.GovernanceMeetingAsync(session, orgId, circleId, meetingId, ct);
            if (notThisMeeting is not null) return notThisMeeting.ToResult();
        }
        var outcome = await ApplyAsync(orgId, circleId, request.Changes ?? [], expectedVersion, proposalId: null, registry, session, ct,
            mayApply: snapshot => Authority.MayRecordGovernance(caller, snapshot), meetingId: request.MeetingId);
        if (outcome.Problem is { } problem) return problem.ToResult(ChangeIndex(outcome.ChangeIndex));
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Governance, null, outcome.Version, null, null));
        http.HttpContext.Response.Headers.ETag = $"\"{outcome.Version}\"";
        return TypedResults.Ok(new GovernanceResponse(outcome.Version, outcome.Results));
    }

    /// <summary>What applying did; <c>Decision</c>: the events appended (an import folds them into its working copy).</summary>
    public sealed record Outcome(long Version, IReadOnlyList<ChangeResult> Results, Problem? Problem = null, int? ChangeIndex = null, GovernanceDecision? Decision = null);

    public static IDictionary<string, object?>? ChangeIndex(int? index) =>
        index is null ? null : new Dictionary<string, object?> { ["changeIndex"] = index };

    /// <summary>
    /// The one path by which governance changes a circle, for direct changes and adopted proposals:
    /// judge the changes against the circle as it is now, append their events and the governance
    /// record with the expected log version. A concurrent batch on the same circle fails with 409.
    /// </summary>
    public static async Task<Outcome> ApplyAsync(
        Guid orgId, Guid circleId, IReadOnlyList<GovernanceChange> changes, long? expectedVersion, Guid? proposalId,
        LiveRegistry registry, IDocumentSession session, CancellationToken ct, Func<CircleSnapshot, Problem?>? mayApply = null, Guid? meetingId = null) =>
        await StateAsync(registry, orgId, circleId, changes, ct) is { } state
            ? await ApplyAsync(state, changes, expectedVersion, proposalId, session, ct, mayApply, meetingId)
            : new Outcome(0, [], Unknown.Circle(circleId));

    /// <summary>The same, on a circle's state already read (for the changes given).</summary>
    public static async Task<Outcome> ApplyAsync(
        CircleState state, IReadOnlyList<GovernanceChange> changes, long? expectedVersion, Guid? proposalId,
        IDocumentSession session, CancellationToken ct, Func<CircleSnapshot, Problem?>? mayApply = null, Guid? meetingId = null, StruckRecord? strikes = null)
    {
        // The versions were read with the snapshot: a batch committed after it on these circles makes this one's append fail.
        var (version, snapshot, subCircleVersions) = state;
        var circle = snapshot.Circle;
        if (mayApply?.Invoke(snapshot) is { } refused) return new Outcome(version, [], refused);
        if (expectedVersion is { } expected && expected != version)
        {
            return new Outcome(version, [], Problem.Conflict("stale-version",
                $"The circle is at governance version {version}, not {expected}; read it again and re-check the changes."));
        }

        var (decision, problem, index) = GovernanceRules.Decide(snapshot, changes, Guid.CreateVersion7);
        if (problem is not null) return new Outcome(version, [], problem, index);

        await AppendAsync(decision!, session, ct);
        var record = new GovernanceChangesAdopted(circle.Id, circle.OrgId,
            [.. decision!.Results.Select(r => new AdoptedChange(r.Op, r.RoleId ?? r.PolicyId))], proposalId, meetingId, strikes);
        GovernanceLog.Append(session, circle.Id, version, record);
        // A move changes the sub-circle's roles too: its log records that, so its own concurrent governance conflicts.
        foreach (var sub in decision.TouchedSubCircles ?? new HashSet<Guid>())
        {
            var subVersion = subCircleVersions.TryGetValue(sub, out var read) ? read : await GovernanceLog.VersionAsync(session, sub, ct);
            GovernanceLog.Append(session, sub, subVersion, record with { CircleId = sub });
        }
        return new Outcome(version + 1, decision.Results, Decision: decision);
    }

    /// <summary>
    /// A circle as governance judges it, from the live registry once it has read every commit made
    /// anywhere before this call (what reading the stored documents now would give, without loading
    /// and deserialising them): its snapshot (the circle, its roles, the roles of its sub-circles,
    /// any deeper roles the changes name) and the governance versions of the circle and its
    /// sub-circles. Null when the organisation has no such role.
    /// </summary>
    public static Task<CircleState?> StateAsync(
        LiveRegistry registry, Guid orgId, Guid circleId, IReadOnlyList<GovernanceChange> changes, CancellationToken ct) =>
        registry.ReadFreshAsync(orgId, view => view.Now is { } org && org.Roles.TryGetValue(circleId, out var circle)
            ? StateOf(org, circle, changes)
            : null, ct);

    /// <summary>The circle as governance judges it, for changes naming no roles further down (e.g. to know its members).</summary>
    public static CircleSnapshot SnapshotOf(IRegistrySnapshot org, Role circle) => StateOf(org, circle, []).Snapshot;

    private static CircleState StateOf(IRegistrySnapshot org, Role circle, IReadOnlyList<GovernanceChange> changes)
    {
        // In id order (creation order: ids are UUIDv7), so a message that names one of several roles names the
        // same one each time, on every instance. Not by name: under the registry's read lock, comparing names
        // case-insensitively was a fifth of a write's CPU in a circle of a few hundred roles (P3).
        List<Role> roles = [.. org.RolesIn(circle.Id).OrderBy(r => r.Id)];
        var inner = new Dictionary<Guid, IReadOnlyList<Role>>();
        var versions = new Dictionary<Guid, long>();
        foreach (var child in roles.Where(r => r.IsCircle))
        {
            versions[child.Id] = org.GovernanceVersion(child.Id);
            if (org.RolesIn(child.Id).OrderBy(r => r.Id).ToList() is { Count: > 0 } childRoles) inner[child.Id] = childRoles;
        }
        var known = roles.Concat(inner.Values.SelectMany(r => r)).Select(r => r.Id).Append(circle.Id).ToHashSet();
        var deeper = changes.SelectMany(NamedRoles).Where(id => !known.Contains(id) && IsBelow(org, id, circle)).ToHashSet();
        var reach = ReachOfMoves(org, circle, changes, known, versions);
        return new CircleState(org.GovernanceVersion(circle.Id), new CircleSnapshot(circle, roles, inner, deeper, reach), versions);
    }

    /// <summary>
    /// What moves deeper than the sub-circles need to be judged: for each role moved, the roles of the
    /// circles from its circle and from the target up to this one, everything inside the moved role,
    /// and the roles (with their circles) its moving policies grant to; the governance versions of those circles.
    /// </summary>
    private static List<Role>? ReachOfMoves(IRegistrySnapshot org, Role circle, IReadOnlyList<GovernanceChange> changes, HashSet<Guid> known, Dictionary<Guid, long> versions)
    {
        List<Role>? reach = null;
        void Add(Role role)
        {
            if (!known.Add(role.Id)) return;
            (reach ??= []).Add(role);
            if (role.IsCircle) versions.TryAdd(role.Id, org.GovernanceVersion(role.Id));
        }
        void AddCirclesUp(Guid? from)
        {
            for (var depth = 0; depth < 64 && from is { } id && id != circle.Id && org.Roles.TryGetValue(id, out var at); depth++, from = at.CircleId)
            {
                Add(at);
                foreach (var sibling in org.RolesIn(id).OrderBy(r => r.Id)) Add(sibling);
            }
        }
        foreach (var move in changes.OfType<MoveRole>())
        {
            if (!org.Roles.TryGetValue(move.RoleId, out var moved) || !IsBelow(org, moved.Id, circle)) continue;
            AddCirclesUp(moved.CircleId);
            if (IsBelow(org, move.ToCircleId, circle)) AddCirclesUp(move.ToCircleId);
            var inside = new Stack<Guid>([moved.Id]);
            while (inside.Count > 0)
            {
                foreach (var child in org.RolesIn(inside.Pop()))
                {
                    Add(child);
                    if (child.IsCircle) inside.Push(child.Id);
                }
            }
            var source = org.Roles.GetValueOrDefault(moved.CircleId ?? Guid.Empty);
            foreach (var grant in (source?.Policies ?? []).Where(p => move.Policies?.Contains(p.Id) == true).SelectMany(p => p.Grants))
            {
                if (org.Roles.TryGetValue(grant.RoleId, out var granted) && IsBelow(org, granted.Id, circle))
                {
                    Add(granted);
                    AddCirclesUp(granted.CircleId);
                }
            }
        }
        return reach;
    }

    private static IEnumerable<Guid> NamedRoles(GovernanceChange change) => change switch
    {
        AddPolicy c => c.Policy?.Grants?.Where(g => g is not null).Select(g => g.RoleId) ?? [],
        AmendPolicy c => c.Policy?.Grants?.Where(g => g is not null).Select(g => g.RoleId) ?? [],
        _ => [],
    };

    /// <summary>Walks up from a role through its circles; true when it reaches <paramref name="circle"/>.</summary>
    private static bool IsBelow(IRegistrySnapshot org, Guid roleId, Role circle)
    {
        for (var depth = 0; depth < 64 && org.Roles.TryGetValue(roleId, out var role); depth++)
        {
            if (role.CircleId is not { } parent) return false;
            if (parent == circle.Id) return true;
            roleId = parent;
        }
        return false;
    }

    /// <summary>
    /// New roles start their streams. Existing roles are locked for writing, in id order, before
    /// anything is written: assignments take the same lock, so the two queue instead of losing an
    /// update or deadlocking, and a fixed order keeps two batches from deadlocking each other.
    /// </summary>
    private static async Task AppendAsync(GovernanceDecision decision, IDocumentSession session, CancellationToken ct)
    {
        foreach (var stream in decision.Events.GroupBy(e => e.StreamId).OrderBy(g => g.Key))
        {
            var events = stream.Select(e => e.Event).ToArray();
            if (stream.First().StartsStream)
            {
                session.Events.StartStream<Role>(stream.Key, events);
            }
            else
            {
                var existing = await session.Events.FetchForExclusiveWriting<Role>(stream.Key, ct);
                existing.AppendMany(events);
            }
        }
    }
}

/// <summary>Reads <c>If-Match: "7"</c> (quotes and a weak prefix are tolerated).</summary>
public sealed record IfMatch(long Version, Problem? Problem)
{
    public static IfMatch? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return long.TryParse(text, out var version) && version >= 0
            ? new IfMatch(version, null)
            : new IfMatch(-1, Problem.BadRequest("invalid-if-match", $"If-Match '{header}' is not a circle version such as \"3\"."));
    }
}
