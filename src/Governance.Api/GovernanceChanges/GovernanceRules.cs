using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

/// <summary>What the rules need to know about a circle to judge changes to its roles.</summary>
/// <param name="Circle">The circle whose governance this is.</param>
/// <param name="Roles">The roles defined directly in the circle, its Circle Lead role included.</param>
/// <param name="InnerRoles">For each of those roles that is a circle, the roles defined inside it.</param>
/// <param name="DeeperRoles">Roles further down (below the sub-circles) that the changes name, e.g. in policy grants.</param>
/// <param name="Reach">Roles further down that moves need: the roles of the circles a role leaves and enters and
/// of the circles between, the moved role's inside, and the roles its moving policies grant to.</param>
public sealed record CircleSnapshot(
    Role Circle,
    IReadOnlyList<Role> Roles,
    IReadOnlyDictionary<Guid, IReadOnlyList<Role>> InnerRoles,
    IReadOnlySet<Guid>? DeeperRoles = null,
    IReadOnlyList<Role>? Reach = null);

/// <summary>An event to append to a stream, and whether it opens that stream.</summary>
public sealed record PlannedEvent(Guid StreamId, IRoleEvent Event, bool StartsStream = false);

public sealed record ChangeResult(
    string Op,
    Guid? RoleId,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Guid? PolicyId = null);

/// <param name="Events">The events to append, per stream, in order.</param>
/// <param name="Results">One result per change, in the order of the changes.</param>
/// <param name="TouchedSubCircles">Sub-circles whose roles the batch changed (moves): their governance logs record it too.</param>
public sealed record GovernanceDecision(IReadOnlyList<PlannedEvent> Events, IReadOnlyList<ChangeResult> Results, IReadOnlySet<Guid>? TouchedSubCircles = null);

/// <summary>
/// Decides whether a batch of governance changes is lawful for a circle and, if so, which events
/// record it. Pure: no I/O, so every rule is tested directly. Each change is judged against the
/// circle as the earlier changes left it: every event decided is applied at once to a working copy
/// with <see cref="Role.Fold"/>, the same fold the registry uses. The first refusal rejects the batch.
/// The operations are grouped by what they change: role definitions, domains, the circle's
/// structure (moves and removals) and policies.
/// </summary>
public static partial class GovernanceRules
{
    public const int MaxChangesPerBatch = 100;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 2000;
    /// <summary>The longest response window a policy may require, and the furthest a deadline may be set: a year.</summary>
    public const int MaxResponseHours = 24 * 366;
    public const string CircleLeadName = "Circle Lead";
    public const string CircleLeadPurpose = "The Circle Lead holds the Purpose of the overall Circle.";

    public static (GovernanceDecision? Decision, Problem? Problem, int? ChangeIndex) Decide(
        CircleSnapshot snapshot, IReadOnlyList<GovernanceChange> changes, Func<Guid> newId)
    {
        if (!snapshot.Circle.IsCircle)
        {
            return (null, Problem.Violation("not-a-circle", "Not a circle.",
                $"Role '{snapshot.Circle.Name}' is not a circle; convert it to a circle before defining roles inside it.",
                "§1.3.1"), null);
        }
        if (changes.Count is 0 or > MaxChangesPerBatch)
        {
            return (null, Problem.BadRequest("invalid-changes",
                $"A governance output carries between 1 and {MaxChangesPerBatch} changes; this one has {changes.Count}."), null);
        }

        var batch = new Batch(snapshot, newId);
        for (var i = 0; i < changes.Count; i++)
        {
            var problem = changes[i] switch
            {
                null => Problem.BadRequest("invalid-change", "A change must be an object with an 'op'."),
                CreateRole c => batch.Create(c),
                UpdateRole c => batch.Update(c),
                AddAccountability c => batch.AddAccountability(c),
                RemoveAccountability c => batch.RemoveAccountability(c),
                AddDomain c => batch.AddDomain(c),
                RemoveDomain c => batch.RemoveDomain(c),
                ConvertToCircle c => batch.Convert(c),
                ConvertToRole c => batch.ConvertBack(c),
                RemoveRole c => batch.Remove(c),
                MoveRole c => batch.Move(c),
                AddPolicy c => batch.AddPolicy(c),
                AmendPolicy c => batch.AmendPolicy(c),
                RemovePolicy c => batch.RemovePolicy(c),
                var other => Problem.BadRequest("unknown-op", $"Op '{other.OpName}' is not supported."),
            };
            if (problem is not null)
            {
                return (null, problem with { Detail = $"changes[{i}] ({changes[i]?.OpName}): {problem.Detail}" }, i);
            }
        }
        return (new GovernanceDecision(batch.Events, batch.Results, batch.TouchedSubCircles), null, null);
    }

    /// <summary>The working copy of the circle while a batch is judged.</summary>
    private sealed partial class Batch(CircleSnapshot snapshot, Func<Guid> newId)
    {
        /// <summary>
        /// The circle, its roles and the roles of its sub-circles, as the changes so far have made
        /// them. A role read twice by a snapshot taken during a concurrent move counts once (that
        /// batch then fails on the circle's version, 409).
        /// </summary>
        private readonly Dictionary<Guid, Role> _roles =
            snapshot.Roles.Concat(snapshot.InnerRoles.Values.SelectMany(inner => inner)).Concat(snapshot.Reach ?? []).Append(snapshot.Circle)
                .DistinctBy(r => r.Id).ToDictionary(r => r.Id);

        public List<PlannedEvent> Events { get; } = [];
        public HashSet<Guid> TouchedSubCircles { get; } = [];
        public List<ChangeResult> Results { get; } = [];

        private Guid CircleId => snapshot.Circle.Id;

        private Role Circle => _roles[CircleId];

        private IEnumerable<Role> RolesIn(Guid circleId) => _roles.Values.Where(r => r.CircleId == circleId);

        /// <summary>Decides an event and applies it to the working copy.</summary>
        private void Emit(Guid streamId, IRoleEvent e, bool starts = false)
        {
            Events.Add(new PlannedEvent(streamId, e, starts));
            if (Role.Fold(_roles.GetValueOrDefault(streamId), e) is { } after) _roles[streamId] = after;
            else _roles.Remove(streamId);
        }

        /// <summary>A role defined directly in the circle: the only roles its governance changes.</summary>
        private Problem? Find(Guid roleId, out Role role)
        {
            if (_roles.TryGetValue(roleId, out role!) && role.CircleId == CircleId) return null;
            return Problem.NotFound("role-not-found",
                $"Circle '{Circle.Name}' has no role {roleId}; a circle's governance changes only the roles defined in it.");
        }

        private void EmitCircleLeadRole(Guid leadId, Guid circleId)
        {
            // §1.4: every circle has a Circle Lead role; whoever fills the circle's role in the
            // super-circle fills it, so it is never assigned directly.
            Emit(leadId, new RoleCreated(leadId, Circle.OrgId, circleId, CircleLeadName, CircleLeadPurpose, false, true, null), starts: true);
        }

        private static Problem? CheckName(string? name) =>
            string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength
                ? Problem.BadRequest("invalid-name", $"A role needs a name of 1 to {MaxNameLength} characters.")
                : null;

        private static Problem? CheckText(string? text, string what, bool required) =>
            (required && string.IsNullOrWhiteSpace(text)) || (text?.Trim().Length ?? 0) > MaxTextLength
                ? Problem.BadRequest($"invalid-{what}", $"The {what} must be {(required ? "1" : "0")} to {MaxTextLength} characters.")
                : null;
    }
}
