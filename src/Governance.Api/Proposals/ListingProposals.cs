using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Proposals;

public sealed record ProposalPage(IReadOnlyList<ProposalResponse> Items, string? Next);

/// <summary>Proposals by circle and status, and each Circle Member's inbox: the open proposals waiting for their answer.</summary>
public static class ListingProposals
{
    public const int PageSize = 50;

    private static readonly string[] Statuses =
        [ProposalStatus.Open, ProposalStatus.ToMeeting, ProposalStatus.Adopted, ProposalStatus.Withdrawn, ProposalStatus.Discarded];

    /// <summary>
    /// The organisation's proposals, oldest first, 50 a page: of one circle, in one status, or awaiting a person's
    /// answer (open, in a circle they are a member of, not theirs, and not answered as the changes now stand);
    /// with <c>asOf</c>, the proposals submitted by then, as they stood then.
    /// </summary>
    [WolverineGet("/api/orgs/{orgId}/proposals", OperationId = "listProposals"), Tags("Proposals")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<ProposalPage>, ProblemHttpResult>> List(
        Guid orgId, Guid? circleId, string? status, Guid? awaiting, Guid? after, string? asOf, LiveRegistry registry, IQuerySession session, CancellationToken ct)
    {
        var (instant, badInstant) = AsOf.Parse(asOf);
        if (badInstant is not null) return badInstant.ToResult();
        if (instant is not null && awaiting is not null)
        {
            return Problem.BadRequest("asof-awaiting", "An inbox is what awaits an answer now; ask past proposals without awaiting.").ToResult();
        }
        if (status is not null && !Statuses.Contains(status))
        {
            return Problem.BadRequest("invalid-status", $"status is one of {string.Join(", ", Statuses)}; '{status}' is not.").ToResult();
        }
        if (awaiting is not null) status = ProposalStatus.Open;
        var query = session.Query<Proposal>().Where(p => p.OrgId == orgId);
        if (circleId is { } circle) query = query.Where(p => p.CircleId == circle);
        if (status is not null && instant is null) query = query.Where(p => p.Status == status);
        // Ordered here, as Guid orders them (UUIDv7: by time of submission), the same order the cursor is read in.
        var found = (await query.ToListAsync(ct)).Where(p => after is not { } cursor || p.Id.CompareTo(cursor) > 0).OrderBy(p => p.Id).ToList();
        if (instant is { } at)
        {
            found = [.. (await AsTheyStoodAsync(session, found, at, ct)).Where(p => status is null || p.Status == status)];
        }
        if (awaiting is { } person)
        {
            var members = await registry.ReadAsync(orgId, view => view.Now is { } now
                ? found.Select(p => p.CircleId).Distinct().ToDictionary(id => id, id => now.Roles.TryGetValue(id, out var c)
                    ? CircleMembers.All(ApplyingGovernance.SnapshotOf(now, c)) : new HashSet<Guid>())
                : [], ct);
            found = [.. found.Where(p => p.ProposerId != person && members.GetValueOrDefault(p.CircleId)?.Contains(person) == true
                && !p.Responses.Any(r => r.PersonId == person && r.Revision == p.Revision))];
        }
        var page = found.Take(PageSize).ToList();
        return TypedResults.Ok(new ProposalPage([.. page.Select(ProposingChanges.Describe)], found.Count > PageSize ? page[^1].Id.ToString() : null));
    }

    /// <summary>The proposals as they stood at an instant: their events up to then, folded by the projection's own evolve (one query).</summary>
    private static async Task<List<Proposal>> AsTheyStoodAsync(IQuerySession session, List<Proposal> proposals, DateTimeOffset at, CancellationToken ct)
    {
        if (proposals.Count == 0) return [];
        var ids = proposals.Select(p => p.Id).ToArray();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids) && e.Timestamp <= at)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        return [.. events.GroupBy(e => e.StreamId)
            .Select(stream => stream.Aggregate((Proposal?)null, (proposal, e) => e.Data is IProposalEvent change ? Proposal.Fold(proposal, change) : proposal))
            .OfType<Proposal>()
            .OrderBy(p => p.Id)];
    }
}
