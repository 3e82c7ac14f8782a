using Governance.Identity;
using Governance.Registry;
using Marten;
using Wolverine.Attributes;

namespace Governance.Proposals;

/// <summary>
/// The response deadline of a proposal has come. Scheduled when the proposal is submitted, in the
/// same transaction, as a durable message in PostgreSQL (Wolverine's inbox): it survives restarts,
/// and one instance of a fleet handles it.
/// </summary>
[MessageIdentity("proposal-deadline")]
public sealed record ProposalDeadlineReached(Guid OrgId, Guid ProposalId, DateTimeOffset RespondBy);

/// <summary>
/// At the deadline (§5.3, asynchronous consent): a proposal still open with no objection open is
/// adopted by the system (actor <c>{kind: system, reason: deadline}</c>); one with open objections, or
/// whose changes the circle can no longer take, goes to the circle's next governance meeting.
/// Anything else (adopted, withdrawn, at a meeting already, another deadline) is left alone, so a
/// second delivery of the same message changes nothing.
/// </summary>
public static class ProposalDeadlineHandler
{
    public static async Task Handle(ProposalDeadlineReached deadline, IDocumentSession session, LiveRegistry registry, CancellationToken ct)
    {
        session.SetHeader(Actor.Header, Actor.OfSystem(AdoptionReasons.Deadline));
        var circle = await ProposalSteps.CircleOfAsync(deadline.OrgId, deadline.ProposalId, changes: null, registry, session, ct);
        var stream = await session.Events.FetchForExclusiveWriting<Proposal>(deadline.ProposalId, ct);
        if (stream.Aggregate is not { } proposal || proposal.OrgId != deadline.OrgId
            || proposal.Status != ProposalStatus.Open || proposal.RespondBy != deadline.RespondBy)
        {
            return;
        }
        if (circle is not null && !circle.Changes.SequenceEqual(proposal.Changes))
        {
            circle = await ProposalSteps.CircleOfAsync(deadline.OrgId, deadline.ProposalId, proposal.Changes, registry, session, ct);
        }
        if (circle?.State is not { } state)
        {
            stream.AppendOne(new ProposalSentToMeeting(proposal.Id, null, "The response deadline passed, but the proposal's circle no longer exists."));
            return;
        }
        if (proposal.OpenObjections.Any())
        {
            // §5.3.4: objections are integrated in a meeting.
            stream.AppendOne(new ProposalSentToMeeting(proposal.Id, null, $"The response deadline passed with {proposal.OpenObjections.Count()} objection(s) open."));
            return;
        }
        var adopted = await Adopting.AdoptAsync(state, stream, AdoptionReasons.Deadline, session, ct);
        if (adopted.Problem is { } problem)
        {
            stream.AppendOne(new ProposalSentToMeeting(proposal.Id, null, $"The response deadline passed, but the changes cannot be applied: {problem.Detail}"));
        }
    }
}
