using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Meetings;
using Governance.Registry;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Proposals;

/// <summary>An objection; <c>ObjectorId</c> is the caller when left out, someone else only when an admin or the circle's Secretary records it.</summary>
public sealed record RaiseObjection(string Reason, ObjectionTests? Tests = null, Guid? ObjectorId = null);

public sealed record AmendChanges(IReadOnlyList<GovernanceChange> Changes);

/// <summary>Why the Facilitator discards the proposal, and the meeting where, if in one.</summary>
public sealed record DiscardProposal(string Reason, Guid? MeetingId = null);

public sealed record ObjectionCreatedResponse(Guid Id);

public sealed record AdoptionResponse(string Status, long Version);

/// <summary>
/// The steps on an open proposal (§5.3): members object, objections are integrated by amending the
/// changes, the proposer amends or withdraws, and only a proposal without open objections is
/// adopted, through the same path as direct governance changes. Each step locks the proposal's stream.
/// </summary>
public static class ProposalSteps
{
    /// <summary>Object to a proposal (§5.3.2).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/objections", OperationId = "raiseObjection"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<ObjectionCreatedResponse>, ProblemHttpResult>> Raise(
        Guid orgId, Guid proposalId, RaiseObjection request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var circle = await CircleOfAsync(orgId, proposalId, [], registry, session, ct);
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if ((request.ObjectorId ?? caller.PersonId) is not { } objector) return ProposingChanges.SomeoneMustSpeak("objectorId", "objects").ToResult();
        if (await session.PersonAsync(orgId, objector, ct) is null) return Unknown.Person(objector).ToResult();
        if (CheckObjection(request.Reason, request.Tests) is { } invalid) return invalid.ToResult();
        if (circle?.Snapshot is not { } snapshot) return CircleGone.ToResult();
        if (Authority.MaySpeakFor(caller, objector, snapshot, "object") is { } notTheirs) return notTheirs.ToResult();
        if (CircleMembers.RequireMember(snapshot, objector, "object") is { } notMember) return notMember.ToResult();

        var objectionId = Guid.CreateVersion7();
        stream.AppendOne(new ObjectionRaised(proposalId, objectionId, objector, request.Reason.Trim(), request.Tests));
        return TypedResults.Created($"/api/orgs/{orgId}/proposals/{proposalId}", new ObjectionCreatedResponse(objectionId));
    }

    /// <summary>Integrate an objection by amending the proposed changes (§5.3.4).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/objections/{objectionId}/integrate", OperationId = "integrateObjection"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Integrate(
        Guid orgId, Guid proposalId, Guid objectionId, AmendChanges request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var changes = request.Changes ?? [];
        var circle = await CircleOfAsync(orgId, proposalId, changes, registry, session, ct);
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        var objection = proposal.Objections.FirstOrDefault(o => o.Id == objectionId);
        if (objection is null) return Problem.NotFound("objection-not-found", $"The proposal has no objection {objectionId}.").ToResult();
        if (objection.Integrated) return Problem.Conflict("objection-integrated", "This objection is already integrated.").ToResult();
        if (circle?.Snapshot is not { } snapshot) return CircleGone.ToResult();
        if (Authority.MayConclude(caller, proposal, snapshot) is { } notTheirs) return notTheirs.ToResult();
        if (DryRun(snapshot, changes) is { } unlawful) return unlawful;

        var integrated = new ObjectionIntegrated(proposalId, objectionId, changes);
        stream.AppendOne(integrated);
        return TypedResults.Ok(ProposingChanges.Describe(Proposal.Fold(proposal, integrated)!));
    }

    /// <summary>Amend the changes of an open proposal (its proposer).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/amend", OperationId = "amendProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Amend(
        Guid orgId, Guid proposalId, AmendChanges request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var changes = request.Changes ?? [];
        var circle = await CircleOfAsync(orgId, proposalId, changes, registry, session, ct);
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (Authority.MayChange(caller, proposal) is { } notTheirs) return notTheirs.ToResult();
        if (circle?.Snapshot is not { } snapshot) return CircleGone.ToResult();
        if (DryRun(snapshot, changes) is { } unlawful) return unlawful;

        var amended = new ProposalAmended(proposalId, changes);
        stream.AppendOne(amended);
        return TypedResults.Ok(ProposingChanges.Describe(Proposal.Fold(proposal, amended)!));
    }

    /// <summary>Adopt a proposal without open objections: its changes are applied to the circle.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/adopt", OperationId = "adoptProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<AdoptionResponse>, ProblemHttpResult>> Adopt(
        Guid orgId, Guid proposalId, Guid? meetingId, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var circle = await CircleOfAsync(orgId, proposalId, changes: null, registry, session, ct);
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (circle is not null && !circle.Changes.SequenceEqual(proposal.Changes))
        {
            // Amended between the read and the lock: the roles its changes name may differ.
            circle = await CircleOfAsync(orgId, proposalId, proposal.Changes, registry, session, ct);
        }
        if (circle?.State is not { } state) return CircleGone.ToResult();
        if (Authority.MayConclude(caller, proposal, state.Snapshot) is { } notTheirs) return notTheirs.ToResult();
        var (meeting, notThisMeeting) = await InMeetingAsync(session, proposal, meetingId, ct);
        if (notThisMeeting is not null) return notThisMeeting.ToResult();
        var outcome = await Adopting.AdoptAsync(state, stream, reason: null, session, ct, meetingId);
        if (outcome.Problem is { } problem) return problem.ToResult(ApplyingGovernance.ChangeIndex(outcome.ChangeIndex));
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Adoption, proposalId, outcome.Version, null, null));
        return TypedResults.Ok(new AdoptionResponse(ProposalStatus.Adopted, outcome.Version));
    }

    /// <summary>Withdraw an open proposal (its proposer).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/withdraw", OperationId = "withdrawProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<ProposalCreatedResponse>, ProblemHttpResult>> Withdraw(
        Guid orgId, Guid proposalId, Guid? meetingId, Caller caller, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        if (Authority.MayChange(caller, stream!.Aggregate!) is { } notTheirs) return notTheirs.ToResult();
        var (meeting, notThisMeeting) = await InMeetingAsync(session, stream.Aggregate!, meetingId, ct);
        if (notThisMeeting is not null) return notThisMeeting.ToResult();
        stream.AppendOne(new ProposalWithdrawn(proposalId));
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Withdrawal, proposalId, null, null, null));
        return TypedResults.Ok(new ProposalCreatedResponse(proposalId, ProposalStatus.Withdrawn));
    }

    /// <summary>Discard a proposal that does not meet the proposal requirements, or that its proposer dropped (§5.3.1, §5.3.4): the Facilitator.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/discard", OperationId = "discardProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Ok<ProposalCreatedResponse>, ProblemHttpResult>> Discard(
        Guid orgId, Guid proposalId, DiscardProposal request, Caller caller, LiveRegistry registry, IDocumentSession session, CancellationToken ct)
    {
        var circle = await CircleOfAsync(orgId, proposalId, [], registry, session, ct);
        var (stream, refused) = await OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-reason", $"A discarded proposal states why in 1 to {GovernanceRules.MaxTextLength} characters (§5.3.1).").ToResult();
        }
        if (circle?.Snapshot is not { } snapshot) return CircleGone.ToResult();
        if (Authority.MayDiscard(caller, snapshot) is { } notTheirs) return notTheirs.ToResult();
        var (meeting, notThisMeeting) = await InMeetingAsync(session, stream!.Aggregate!, request.MeetingId, ct);
        if (notThisMeeting is not null) return notThisMeeting.ToResult();
        stream.AppendOne(new ProposalDiscarded(proposalId, reason));
        if (meeting is not null) MeetingRecords.Record(meeting, new MeetingOutput(MeetingOutputs.Discard, proposalId, null, null, null));
        return TypedResults.Ok(new ProposalCreatedResponse(proposalId, ProposalStatus.Discarded));
    }

    /// <summary>The meeting a step is taken in, when named: an open governance meeting of the proposal's circle.</summary>
    private static async Task<(IEventStream<Meeting>? Meeting, Problem? Problem)> InMeetingAsync(
        IDocumentSession session, Proposal proposal, Guid? meetingId, CancellationToken ct) =>
        meetingId is { } id ? await MeetingRecords.GovernanceMeetingAsync(session, proposal.OrgId, proposal.CircleId, id, ct) : (null, null);

    /// <summary>
    /// The reason and tests of an objection, checked (§5.3.2); null when they pass. Used for objections raised
    /// directly and for those given as an asynchronous response.
    /// </summary>
    internal static Problem? CheckObjection(string? reason, ObjectionTests? tests)
    {
        if ((reason?.Trim().Length ?? 0) is 0 or > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-reason", $"An objection states its reason in 1 to {GovernanceRules.MaxTextLength} characters (§5.3.2).");
        }
        return tests?.Failed().ToList() is { Count: > 0 } failed
            ? Problem.Violation("invalid-objection", "The objection does not pass the objection tests.",
                $"Not a valid objection: {string.Join("; ", failed)}. It can still be raised as a new tension.", "§5.3.2")
            : null;
    }

    /// <summary>
    /// Locks the proposal's stream, so its steps happen one at a time; only an active proposal (open,
    /// or waiting for a meeting where its steps are taken) takes steps.
    /// </summary>
    internal static async Task<(IEventStream<Proposal>? Stream, Problem? Refused)> OpenAsync(
        Guid orgId, Guid proposalId, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Proposal>(proposalId, ct);
        if (stream.Aggregate is not { } proposal || proposal.OrgId != orgId) return (null, ProposingChanges.ProposalNotFound(proposalId));
        return ProposalStatus.IsActive(proposal.Status)
            ? (stream, null)
            : (null, Problem.Conflict("proposal-closed", $"The proposal is {proposal.Status.ToLowerInvariant()}; only an open proposal can change."));
    }

    internal static readonly Problem CircleGone = Problem.Conflict("circle-gone", "The proposal's circle no longer exists.");

    /// <summary>The proposal's circle as judged for <c>Changes</c> (null State: the circle is gone).</summary>
    internal sealed record CircleRead(CircleState? State, IReadOnlyList<GovernanceChange> Changes)
    {
        public CircleSnapshot? Snapshot => State?.Snapshot;
    }

    /// <summary>
    /// The proposal's circle as it is now, with the roles the changes (by default the proposal's own)
    /// name; null when there is no such proposal (<see cref="OpenAsync"/> says so). Read before the
    /// proposal is locked, so no connection is held while the registry catches up.
    /// </summary>
    internal static async Task<CircleRead?> CircleOfAsync(
        Guid orgId, Guid proposalId, IReadOnlyList<GovernanceChange>? changes, LiveRegistry registry, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Proposal>(proposalId, ct) is not { } proposal || proposal.OrgId != orgId) return null;
        changes ??= proposal.Changes;
        var state = await ApplyingGovernance.StateAsync(registry, orgId, proposal.CircleId, changes, ct);
        return new CircleRead(state is { Snapshot.Circle.IsCircle: true } ? state : null, changes);
    }

    private static ProblemHttpResult? DryRun(CircleSnapshot snapshot, IReadOnlyList<GovernanceChange> changes)
    {
        var (_, problem, index) = GovernanceRules.Decide(snapshot, changes, Guid.NewGuid);
        return problem?.ToResult(ApplyingGovernance.ChangeIndex(index));
    }
}
