using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Meetings;
using Governance.Registry;
using Governance.Roles;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Elections;

/// <summary>An election's outcome; <c>MeetingId</c>: the circle's open governance meeting that held it (§5.4), if one did.</summary>
public sealed record HoldElection(string Role, Guid PersonId, DateTimeOffset TermEnds, Guid? MeetingId = null);

public sealed record ElectionResponse(Guid RoleId, string Role, Guid PersonId, DateTimeOffset TermEnds);

public sealed record DueElection(string Role, Guid? RoleId, Guid? PersonId, DateTimeOffset? TermEnds, string Reason);

public sealed record ElectionsDueResponse(DateTimeOffset At, IReadOnlyList<DueElection> Items);

/// <summary>
/// Facilitator, Secretary (§1.3.5, §5.1.2) and Circle Rep (§5.1.1) are filled only by the circle's
/// Integrative Election Process (§5.3.5), for a term. An election replaces the holder at once.
/// </summary>
public static class HoldingElections
{
    /// <summary>Record an election of Facilitator, Secretary or Circle Rep for a term.</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/elections", OperationId = "holdElection"), Tags("Elections")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<ElectionResponse>, ProblemHttpResult>> Elect(
        Guid orgId, Guid circleId, HoldElection request, Caller caller, LiveRegistry registry, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if ((await ApplyingGovernance.StateAsync(registry, orgId, circleId, [], ct))?.Snapshot is not { Circle.IsCircle: true } snapshot)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        var electedRole = ElectedRoles.All.FirstOrDefault(r => string.Equals(r, request.Role, StringComparison.OrdinalIgnoreCase));
        if (electedRole is null)
        {
            return Problem.BadRequest("invalid-elected-role", $"'{request.Role}' is not elected; the elected roles are {string.Join(", ", ElectedRoles.All)}.").ToResult();
        }
        if (request.TermEnds <= clock.GetUtcNow())
        {
            return Problem.BadRequest("invalid-term", "An election's term must end in the future (termEnds).").ToResult();
        }
        // The person's lock before the role's, as removing a person takes them: a removed person is never elected.
        if (await People.PersonStreams.LockAsync(session, orgId, request.PersonId, ct) is null) return Unknown.Person(request.PersonId).ToResult();

        if (Authority.MayHoldElection(caller, snapshot) is { } notTheirs) return notTheirs.ToResult();
        if (ElectionRules.Check(snapshot, electedRole, request.PersonId) is { } refused) return refused.ToResult();
        IEventStream<Meeting>? meeting = null;
        if (request.MeetingId is { } meetingId)
        {
            (meeting, var notThisMeeting) = await MeetingRecords.GovernanceMeetingAsync(session, orgId, circleId, meetingId, ct);
            if (notThisMeeting is not null) return notThisMeeting.ToResult();
        }

        var roleId = ElectedRoles.RoleIdOf(circleId, electedRole);
        if (snapshot.Roles.All(r => r.Id != roleId))
        {
            // Two first elections at once both start this stream; the id is the same, so one fails (409).
            session.Events.StartStream<Role>(roleId, [.. Events(orgId, circleId, electedRole, null, request.PersonId, request.TermEnds)]);
        }
        else
        {
            var stream = await session.Events.FetchForExclusiveWriting<Role>(roleId, ct);
            stream.AppendMany([.. Events(orgId, circleId, electedRole, stream.Aggregate, request.PersonId, request.TermEnds)]);
        }
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Election, null, null, roleId, request.PersonId));
        return TypedResults.Created($"/api/orgs/{orgId}/roles/{roleId}",
            new ElectionResponse(roleId, electedRole, request.PersonId, request.TermEnds));
    }

    /// <summary>
    /// What an election records on the elected role's stream: for a first election the role as the
    /// constitution defines it (§1.3.5, §5.1.1, §5.1.2), then its holder; later the constitution's
    /// words where an earlier version wrote its own, the previous holders unassigned, the new one.
    /// </summary>
    public static IEnumerable<IRoleEvent> Events(Guid orgId, Guid circleId, string electedRole, Role? role, Guid personId, DateTimeOffset termEnds)
    {
        var roleId = ElectedRoles.RoleIdOf(circleId, electedRole);
        IEnumerable<IRoleEvent> before = role is null
            ? [
                new RoleCreated(roleId, orgId, circleId, ElectedRoles.DisplayName(electedRole), ElectedRoles.Purpose(electedRole), false, false, null, electedRole),
                .. ElectedRoles.Accountabilities(electedRole).Select(a => new AccountabilityAdded(roleId, a)),
            ]
            : [.. ElectedRoles.ConstitutionTextUpdates(role), .. role.Fillers.Select(f => new PersonUnassignedFromRole(roleId, f.PersonId))];
        return before.Append(new PersonElectedToRole(roleId, personId, termEnds));
    }

    /// <summary>Elected roles of the circle that are unfilled or whose term has ended.</summary>
    [WolverineGet("/api/orgs/{orgId}/circles/{circleId}/elections-due", OperationId = "listElectionsDue"), Tags("Elections")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<ElectionsDueResponse>, ProblemHttpResult>> Due(Guid orgId, Guid circleId, DateTimeOffset? at, LiveRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        var instant = at ?? clock.GetUtcNow();
        return await registry.ReadAsync(orgId, null, snapshot => DueIn(snapshot, circleId, instant), ct);
    }

    public static Results<Ok<ElectionsDueResponse>, ProblemHttpResult> DueIn(IRegistrySnapshot? snapshot, Guid circleId, DateTimeOffset at) =>
        snapshot?.Roles.GetValueOrDefault(circleId) is { IsCircle: true } circle
            ? TypedResults.Ok(new ElectionsDueResponse(at, ElectionRules.Due(circle, [.. snapshot.RolesIn(circleId).Where(r => r.ElectedRole != null)], at)))
            : Unknown.Circle(circleId).ToResult();
}

/// <summary>The election rules as pure functions.</summary>
public static class ElectionRules
{
    public static Problem? Check(CircleSnapshot circle, string electedRole, Guid candidate)
    {
        if (CircleMembers.RequireMember(circle, candidate, "stand for election") is { } notMember) return notMember;
        if (electedRole != ElectedRoles.CircleRep) return null;
        if (circle.Circle.IsAnchorCircle)
        {
            return Problem.Violation("anchor-circle-has-no-rep", "The Anchor Circle elects no Circle Rep.",
                "A Circle Rep represents a circle in its super-circle; the Anchor Circle has none.", "§5.1.1");
        }
        return circle.Circle.FillerIds.Contains(candidate)
            ? Problem.Violation("circle-lead-cannot-be-rep", "The Circle Lead cannot be the Circle Rep.",
                "Elect another Circle Member: the Circle Lead and the Circle Rep carry tensions in opposite directions.", "§5.1.1")
            : null;
    }

    /// <summary>Elected roles with no holder or whose holder's term has ended by <paramref name="at"/>.</summary>
    public static IReadOnlyList<DueElection> Due(Role circle, IReadOnlyList<Role> electedRoles, DateTimeOffset at) =>
    [
        .. ElectedRoles.All
            .Where(e => e != ElectedRoles.CircleRep || !circle.IsAnchorCircle)
            .SelectMany(e => electedRoles.FirstOrDefault(r => r.ElectedRole == e) is not { } role || role.Fillers.Count == 0
                ? [new DueElection(e, electedRoles.FirstOrDefault(r => r.ElectedRole == e)?.Id, null, null, "Unfilled")]
                : role.Fillers.Where(f => f.TermEnds is { } end && end <= at)
                    .Select(f => new DueElection(e, role.Id, f.PersonId, f.TermEnds, "TermExpired"))),
    ];
}
