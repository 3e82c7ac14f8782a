using System.Text.Json.Serialization;
using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Meetings;
using Governance.Registry;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Http;

namespace Governance.Proposals;

/// <summary>
/// A proposal; <c>ProposerId</c> is the caller when left out, someone else only when an admin or the
/// circle's Secretary records it. <c>RespondBy</c> asks the Circle Members to respond by then
/// (asynchronous consent): without an objection or a request for a meeting it is adopted at that instant.
/// <c>MeetingId</c>: the circle's open governance meeting it is made in (it joins that meeting's record).
/// </summary>
public sealed record SubmitProposal(string Tension, IReadOnlyList<GovernanceChange> Changes, Guid? ProposerId = null, DateTimeOffset? RespondBy = null, Guid? MeetingId = null);

public sealed record ProposalCreatedResponse(Guid Id, string Status);

public sealed record ObjectionResponse(Guid Id, Guid ObjectorId, string Reason, string Status, ObjectionTests? Tests);

/// <summary>One recorded step of a proposal: what happened, when, and who did it (null before actors were recorded).</summary>
public sealed record ProposalStep(string Type, long Sequence, DateTimeOffset Timestamp, Actor? Actor, string? CorrelationId);

/// <summary>A member's answer as the proposal shows it; <c>current</c>: it answers the changes as they now stand.</summary>
public sealed record ResponseEntry(Guid PersonId, string Response, string? Reason, DateTimeOffset At, bool Current);

public sealed record ProposalResponse(
    Guid Id, Guid CircleId, Guid ProposerId, string Status, string Tension,
    IReadOnlyList<GovernanceChange> Changes, IReadOnlyList<ObjectionResponse> Objections, long? AdoptedVersion,
    DateTimeOffset? RespondBy, IReadOnlyList<ResponseEntry> Responses,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StatusReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Actor? AdoptedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProposalStep>? Record = null);

/// <summary>
/// The governance process (§5.3): a Circle Member proposes changes for a tension; the other steps
/// on an open proposal are in <see cref="ProposalSteps"/>.
/// </summary>
public static class ProposingChanges
{
    /// <summary>Propose governance changes to resolve a tension (§5.3.1).</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/proposals", OperationId = "submitProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<ProposalCreatedResponse>, ProblemHttpResult>> Submit(
        Guid orgId, Guid circleId, SubmitProposal request, Caller caller, LiveRegistry registry, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var changes = request.Changes ?? [];
        if ((await ApplyingGovernance.StateAsync(registry, orgId, circleId, changes, ct))?.Snapshot is not { Circle.IsCircle: true } snapshot)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        if ((request.ProposerId ?? caller.PersonId) is not { } proposer) return SomeoneMustSpeak("proposerId", "proposes").ToResult();
        if (await session.PersonAsync(orgId, proposer, ct) is null) return Unknown.Person(proposer).ToResult();
        if (CheckTension(request.Tension) is { } badTension) return badTension.ToResult();
        if (Authority.MaySpeakFor(caller, proposer, snapshot, "propose") is { } refused) return refused.ToResult();
        if (CircleMembers.RequireMember(snapshot, proposer, "propose") is { } notMember) return notMember.ToResult();
        if (request.RespondBy is { } respondBy && ResponseWindow.Check(respondBy, clock.GetUtcNow(), snapshot) is { } tooSoon) return tooSoon.ToResult();
        // Dry run: the proposal must be lawful against the circle as it is now (and is checked again at adoption).
        var (_, problem, index) = GovernanceRules.Decide(snapshot, changes, Guid.NewGuid);
        if (problem is not null) return problem.ToResult(ApplyingGovernance.ChangeIndex(index));
        IEventStream<Meeting>? meeting = null;
        if (request.MeetingId is { } meetingId)
        {
            (meeting, var notThisMeeting) = await MeetingRecords.GovernanceMeetingAsync(session, orgId, circleId, meetingId, ct);
            if (notThisMeeting is not null) return notThisMeeting.ToResult();
        }

        var id = Guid.CreateVersion7();
        session.Events.StartStream<Proposal>(id, new ProposalSubmitted(id, orgId, circleId, proposer, request.Tension.Trim(), changes, request.RespondBy));
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Proposal, id, null, null, proposer));
        if (request.RespondBy is { } deadline)
        {
            // Stored with the events, in their transaction (Wolverine's outbox on the same session): no proposal without its deadline.
            await bus.SendAsync(new ProposalDeadlineReached(orgId, id, deadline), new DeliveryOptions { ScheduledTime = deadline });
        }
        return TypedResults.Created($"/api/orgs/{orgId}/proposals/{id}", new ProposalCreatedResponse(id, ProposalStatus.Open));
    }

    /// <summary>A proposal: its tension, changes, objections, status and the record of its steps with who took them.</summary>
    [WolverineGet("/api/orgs/{orgId}/proposals/{proposalId}", OperationId = "getProposal"), Tags("Proposals")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Get(Guid orgId, Guid proposalId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Proposal>(proposalId, ct) is not { } proposal || proposal.OrgId != orgId) return ProposalNotFound(proposalId).ToResult();
        var steps = await session.Events.FetchStreamAsync(proposalId, token: ct);
        return TypedResults.Ok(Describe(proposal) with
        {
            AdoptedBy = steps.LastOrDefault(e => e.Data is ProposalAdopted) is { } adoption ? Actor.Of(adoption) : null,
            Record = [.. steps.Select(e => new ProposalStep(e.EventTypeName, e.Sequence, e.Timestamp, Actor.Of(e), e.CorrelationId))],
        });
    }

    internal static Problem SomeoneMustSpeak(string field, string verb) =>
        Problem.BadRequest("person-needed", $"Say who {verb} ({field}): only a person of the organisation takes part in governance (§5.1), and this credential speaks for none.");

    internal static Problem? CheckTension(string? tension) =>
        string.IsNullOrWhiteSpace(tension) || tension.Trim().Length > GovernanceRules.MaxTextLength
            ? Problem.BadRequest("invalid-tension", $"A proposal names the tension it resolves in 1 to {GovernanceRules.MaxTextLength} characters (§5.3.1).")
            : null;

    internal static Problem ProposalNotFound(Guid proposalId) =>
        Problem.NotFound("proposal-not-found", $"The organisation has no proposal {proposalId}.");

    internal static ProposalResponse Describe(Proposal p) => new(
        p.Id, p.CircleId, p.ProposerId, p.Status, p.Tension, p.Changes,
        [.. p.Objections.Select(o => new ObjectionResponse(o.Id, o.ObjectorId, o.Reason, o.Integrated ? "Integrated" : "Open", o.Tests))],
        p.AdoptedVersion, p.RespondBy,
        [.. p.Responses.Select(r => new ResponseEntry(r.PersonId, r.Response, r.Reason, r.At, r.Revision == p.Revision))],
        p.Status is ProposalStatus.ToMeeting or ProposalStatus.Discarded ? p.ToMeetingReason : p.AdoptedReason);
}
