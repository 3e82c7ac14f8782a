using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Proposals;

/// <summary>
/// A Circle Member's answer to a proposal: <c>noObjection</c>, <c>objection</c> (with a reason and,
/// optionally, the §5.3.2 tests) or <c>bringToMeeting</c>. <c>ResponderId</c> is the caller when left
/// out, someone else only when an admin or the circle's Secretary records it.
/// </summary>
public sealed record RespondToProposal(string Response, string? Reason = null, ObjectionTests? Tests = null, Guid? ResponderId = null);

public sealed record ResponseRecorded(Guid PersonId, string Response, string Status, Guid? ObjectionId, long? AdoptedVersion);

/// <summary>
/// Asynchronous consent (§5.3, as circles practise it between meetings): each Circle Member answers
/// an open proposal. When every member but the proposer has answered the changes as they stand
/// with no objection, the proposal is adopted at once; an objection blocks it until integrated; a
/// request for a meeting sends it to the circle's next governance meeting.
/// </summary>
public static class RespondingToProposals
{
    /// <summary>Answer an open proposal: no objection, an objection (§5.3.2), or bring it to a meeting.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/responses", OperationId = "respondToProposal"), Tags("Proposals")]
    [Requires(Right.Write)]
    public static async Task<Results<Created<ResponseRecorded>, ProblemHttpResult>> Respond(
        Guid orgId, Guid proposalId, RespondToProposal request, Caller caller, LiveRegistry registry, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var circle = await ProposalSteps.CircleOfAsync(orgId, proposalId, changes: null, registry, session, ct);
        var (stream, refused) = await ProposalSteps.OpenAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (proposal.Status != ProposalStatus.Open)
        {
            return Problem.Conflict("proposal-at-meeting", "The proposal waits for the circle's governance meeting; it is taken up there, not by responses.").ToResult();
        }
        if (!Responses.All.Contains(request.Response ?? ""))
        {
            return Problem.BadRequest("invalid-response", $"A response is one of {string.Join(", ", Responses.All)}; '{request.Response}' is not.").ToResult();
        }
        if ((request.ResponderId ?? caller.PersonId) is not { } responder) return ProposingChanges.SomeoneMustSpeak("responderId", "responds").ToResult();
        if (await session.PersonAsync(orgId, responder, ct) is null) return Unknown.Person(responder).ToResult();
        if (request.Response == Responses.Objection && ProposalSteps.CheckObjection(request.Reason, request.Tests) is { } invalid) return invalid.ToResult();
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason?.Length > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-reason", $"A reason takes at most {GovernanceRules.MaxTextLength} characters.").ToResult();
        }
        if (circle is not null && !circle.Changes.SequenceEqual(proposal.Changes))
        {
            // Amended between the read and the lock: judge it on the circle read for its current changes.
            circle = await ProposalSteps.CircleOfAsync(orgId, proposalId, proposal.Changes, registry, session, ct);
        }
        if (circle?.State is not { } state) return ProposalSteps.CircleGone.ToResult();
        if (Authority.MaySpeakFor(caller, responder, state.Snapshot, "respond") is { } notTheirs) return notTheirs.ToResult();
        if (CircleMembers.RequireMember(state.Snapshot, responder, "respond") is { } notMember) return notMember.ToResult();
        if (responder == proposal.ProposerId)
        {
            return Problem.Violation("proposer-responds", "The proposer does not respond to their own proposal.",
                "Making the proposal is the proposer's consent to it; they amend or withdraw it instead.", "§5.3.1").ToResult();
        }

        Guid? objectionId = null;
        if (request.Response == Responses.Objection)
        {
            objectionId = Guid.CreateVersion7();
            stream.AppendOne(new ObjectionRaised(proposalId, objectionId.Value, responder, reason!, request.Tests));
        }
        var given = new ResponseGiven(proposalId, responder, request.Response!, reason, objectionId, proposal.Revision, clock.GetUtcNow());
        stream.AppendOne(given);
        var answered = Proposal.Fold(proposal, given)!;
        var status = ProposalStatus.Open;
        long? adoptedVersion = null;
        if (request.Response == Responses.BringToMeeting)
        {
            stream.AppendOne(new ProposalSentToMeeting(proposalId, responder, "A Circle Member asked to bring it to a governance meeting."));
            status = ProposalStatus.ToMeeting;
        }
        else if (request.Response == Responses.NoObjection && !answered.OpenObjections.Any() && Adopting.EveryMemberConsents(answered, state.Snapshot))
        {
            // The last consent adopts it, in this same transaction. Should the circle no longer take the changes,
            // the answer is still recorded and a meeting takes the proposal up.
            var adopted = await Adopting.AdoptAsync(state, stream, AdoptionReasons.Consent, session, ct);
            if (adopted.Problem is { } problem)
            {
                stream.AppendOne(new ProposalSentToMeeting(proposalId, null, $"Every member consented, but the changes cannot be applied: {problem.Detail}"));
                status = ProposalStatus.ToMeeting;
            }
            else
            {
                (status, adoptedVersion) = (ProposalStatus.Adopted, adopted.Version);
            }
        }
        return TypedResults.Created($"/api/orgs/{orgId}/proposals/{proposalId}",
            new ResponseRecorded(responder, request.Response!, status, objectionId, adoptedVersion));
    }
}
