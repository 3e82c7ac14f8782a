using Governance.GovernanceChanges;
using Governance.Registry;

namespace Governance.Proposals;

// Events of a proposal's stream (stream id = proposal id), §5.3.

/// <summary>An event of a proposal's stream, folded by <see cref="Proposal.Fold"/>.</summary>
public interface IProposalEvent;

/// <summary>
/// A Circle Member proposed governance changes to resolve a tension (§5.3.1). With <c>RespondBy</c>
/// the Circle Members are asked to respond asynchronously; without an objection or a request for a
/// meeting by then, the proposal is adopted at that instant (<see cref="ProposalDeadlineReached"/>).
/// </summary>
public sealed record ProposalSubmitted(
    Guid ProposalId,
    Guid OrgId,
    Guid CircleId,
    Guid ProposerId,
    string Tension,
    IReadOnlyList<GovernanceChange> Changes,
    DateTimeOffset? RespondBy = null) : IProposalEvent, IStreamOpening;

/// <summary>The proposer amended the proposed changes before adoption.</summary>
public sealed record ProposalAmended(Guid ProposalId, IReadOnlyList<GovernanceChange> Changes) : IProposalEvent;

/// <summary>A Circle Member raised an objection (§5.3.2); the proposal cannot be adopted while it is open.</summary>
public sealed record ObjectionRaised(Guid ProposalId, Guid ObjectionId, Guid ObjectorId, string Reason, ObjectionTests? Tests = null) : IProposalEvent;

/// <summary>
/// The objector's answers to the §5.3.2 tests, when asked: the proposal would reduce the circle's
/// capacity (harm), the harm is created by the proposal (not already there), it is based on known
/// data or must be acted on now, and it limits one of the objector's roles.
/// </summary>
public sealed record ObjectionTests(bool? ReducesCapacity = null, bool? CreatedByProposal = null, bool? KnownOrUrgent = null, bool? LimitsObjectorsRole = null)
{
    public IEnumerable<string> Failed()
    {
        if (ReducesCapacity is false) yield return "it would not reduce the circle's capacity";
        if (CreatedByProposal is false) yield return "the harm is not created by the proposal";
        if (KnownOrUrgent is false) yield return "it rests on neither known data nor a need to act now";
        if (LimitsObjectorsRole is false) yield return "it does not limit one of the objector's roles";
    }
}

/// <summary>The objection was integrated (§5.3.4): the proposal now carries these amended changes.</summary>
public sealed record ObjectionIntegrated(Guid ProposalId, Guid ObjectionId, IReadOnlyList<GovernanceChange> Changes) : IProposalEvent;

/// <summary>
/// The proposal was adopted and its changes applied, taking the circle to this governance version.
/// <c>Reason</c>: null when someone adopted it, <see cref="AdoptionReasons.Consent"/> when the last Circle
/// Member answered with no objection, <see cref="AdoptionReasons.Deadline"/> when its response deadline passed.
/// <c>MeetingId</c>: the governance meeting that adopted it, if one did.
/// </summary>
public sealed record ProposalAdopted(Guid ProposalId, Guid CircleId, long Version, string? Reason = null, Guid? MeetingId = null) : IProposalEvent;

/// <summary>The Facilitator discarded the proposal: it does not meet the proposal requirements, or its proposer dropped it (§5.3.1, §5.3.4).</summary>
public sealed record ProposalDiscarded(Guid ProposalId, string Reason) : IProposalEvent;

/// <summary>
/// A Circle Member answered an asynchronous proposal (§5.3): <see cref="Responses.NoObjection"/>,
/// <see cref="Responses.Objection"/> (recorded as an <see cref="ObjectionRaised"/> as well) or
/// <see cref="Responses.BringToMeeting"/>. <c>Revision</c> is the proposal's revision answered: an
/// amendment or integration asks again, so earlier answers no longer count as consent.
/// </summary>
public sealed record ResponseGiven(Guid ProposalId, Guid PersonId, string Response, string? Reason, Guid? ObjectionId, int Revision, DateTimeOffset At) : IProposalEvent;

/// <summary>
/// The proposal goes to the circle's next governance meeting (§5.4): a member asked for it, or its
/// deadline passed with objections open or with changes the circle can no longer take (<c>Reason</c>).
/// </summary>
public sealed record ProposalSentToMeeting(Guid ProposalId, Guid? RequestedBy, string Reason) : IProposalEvent;

public sealed record ProposalWithdrawn(Guid ProposalId) : IProposalEvent;
