using Governance.GovernanceChanges;
using Governance.Infrastructure;
using JasperFx.Events;

namespace Governance.Proposals;

/// <summary>
/// Adopting a proposal, whoever or whatever adopts it (someone in a meeting, the last member's
/// consent, the response deadline): no open objection (§5.3.4), then its changes through the same
/// path as direct governance, judged against the circle as it is now.
/// </summary>
public static class Adopting
{
    public sealed record Outcome(long Version, Problem? Problem = null, int? ChangeIndex = null);

    /// <summary>Adopts the locked proposal (its <paramref name="stream"/>) on the circle's state read for its changes.</summary>
    public static async Task<Outcome> AdoptAsync(
        CircleState state, IEventStream<Proposal> stream, string? reason, Marten.IDocumentSession session, CancellationToken ct, Guid? meetingId = null)
    {
        var proposal = stream.Aggregate!;
        if (proposal.OpenObjections.Any())
        {
            return new Outcome(0, new Problem(StatusCodes.Status409Conflict, "open-objections", "The proposal has open objections.",
                $"{proposal.OpenObjections.Count()} objection(s) must be integrated before the proposal can be adopted.", "Holacracy 5.0 §5.3.4"));
        }
        var applied = await ApplyingGovernance.ApplyAsync(state, proposal.Changes, expectedVersion: null, proposal.Id, session, ct, meetingId: meetingId);
        if (applied.Problem is { } problem)
        {
            // Lawful when proposed, not any more: the circle changed in a way that conflicts.
            return new Outcome(0, problem with
            {
                Status = StatusCodes.Status409Conflict,
                Detail = $"The circle changed since the proposal was made: {problem.Detail}",
            }, applied.ChangeIndex);
        }
        stream.AppendOne(new ProposalAdopted(proposal.Id, proposal.CircleId, applied.Version, reason, meetingId));
        return new Outcome(applied.Version);
    }

    /// <summary>
    /// Asynchronous consent is complete when every Circle Member other than the proposer has
    /// answered the changes as they now stand with no objection (and there is at least one).
    /// </summary>
    public static bool EveryMemberConsents(Proposal proposal, CircleSnapshot circle)
    {
        var others = CircleMembers.All(circle).Where(p => p != proposal.ProposerId).ToHashSet();
        return others.Count > 0 && others.IsSubsetOf(proposal.ConsentingToThisRevision);
    }
}
