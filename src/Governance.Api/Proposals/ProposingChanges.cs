using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Proposals;

public sealed record SubmitProposal(Guid ProposerId, string Tension, IReadOnlyList<GovernanceChange> Changes);

public sealed record RaiseObjection(Guid ObjectorId, string Reason, ObjectionTests? Tests = null);

public sealed record AmendChanges(IReadOnlyList<GovernanceChange> Changes);

public sealed record ProposalCreatedResponse(Guid Id, string Status);

public sealed record ObjectionCreatedResponse(Guid Id);

public sealed record ObjectionResponse(Guid Id, Guid ObjectorId, string Reason, string Status, ObjectionTests? Tests);

public sealed record ProposalResponse(
    Guid Id, Guid CircleId, Guid ProposerId, string Status, string Tension,
    IReadOnlyList<GovernanceChange> Changes, IReadOnlyList<ObjectionResponse> Objections, long? AdoptedVersion);

public sealed record AdoptionResponse(string Status, long Version);

/// <summary>
/// The governance process (§5.3): a Circle Member proposes changes for a tension, members may object,
/// objections are integrated by amending the changes, and only a proposal without open objections is
/// adopted, through the same path as direct governance changes.
/// </summary>
public static class ProposingChanges
{
    /// <summary>Propose governance changes to resolve a tension (§5.3.1).</summary>
    [WolverinePost("/api/orgs/{orgId}/circles/{circleId}/proposals", OperationId = "submitProposal"), Tags("Proposals")]
    public static async Task<Results<Created<ProposalCreatedResponse>, ProblemHttpResult>> Submit(Guid orgId, Guid circleId, SubmitProposal request, IDocumentSession session, CancellationToken ct)
    {
        if (await session.RoleAsync(orgId, circleId, ct) is not { IsCircle: true } circle)
        {
            return Unknown.Circle(circleId).ToResult();
        }
        if (await session.PersonAsync(orgId, request.ProposerId, ct) is null) return Unknown.Person(request.ProposerId).ToResult();
        if (CheckTension(request.Tension) is { } badTension) return badTension.ToResult();
        var changes = request.Changes ?? [];
        var snapshot = await ApplyingGovernance.SnapshotAsync(circle, changes, session, ct);
        if (CircleMembers.RequireMember(snapshot, request.ProposerId, "propose") is { } notMember) return notMember.ToResult();
        // Dry run: the proposal must be lawful against the circle as it is now (and is checked again at adoption).
        var (_, problem, index) = GovernanceRules.Decide(snapshot, changes, Guid.NewGuid);
        if (problem is not null) return problem.ToResult(ApplyingGovernance.ChangeIndex(index));

        var id = Guid.CreateVersion7();
        session.Events.StartStream<Proposal>(id, new ProposalSubmitted(id, orgId, circleId, request.ProposerId, request.Tension.Trim(), changes));
        return TypedResults.Created($"/api/orgs/{orgId}/proposals/{id}", new ProposalCreatedResponse(id, ProposalStatus.Open));
    }

    /// <summary>A proposal: its tension, changes, objections and status.</summary>
    [WolverineGet("/api/orgs/{orgId}/proposals/{proposalId}", OperationId = "getProposal"), Tags("Proposals")]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Get(Guid orgId, Guid proposalId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Proposal>(proposalId, ct) is { } proposal && proposal.OrgId == orgId
            ? TypedResults.Ok(Describe(proposal))
            : ProposalNotFound(proposalId).ToResult();

    /// <summary>Object to a proposal (§5.3.2).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/objections", OperationId = "raiseObjection"), Tags("Proposals")]
    public static async Task<Results<Created<ObjectionCreatedResponse>, ProblemHttpResult>> Raise(Guid orgId, Guid proposalId, RaiseObjection request, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenProposalAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (await session.PersonAsync(orgId, request.ObjectorId, ct) is null) return Unknown.Person(request.ObjectorId).ToResult();
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-reason", $"An objection states its reason in 1 to {GovernanceRules.MaxTextLength} characters (§5.3.2).").ToResult();
        }
        if (request.Tests?.Failed().ToList() is { Count: > 0 } failed)
        {
            return Problem.Violation("invalid-objection", "The objection does not pass the objection tests.",
                $"Not a valid objection: {string.Join("; ", failed)}. It can still be raised as a new tension.", "§5.3.2").ToResult();
        }
        var circle = (await session.RoleAsync(orgId, proposal.CircleId, ct))!;
        var snapshot = await ApplyingGovernance.SnapshotAsync(circle, [], session, ct);
        if (CircleMembers.RequireMember(snapshot, request.ObjectorId, "object") is { } notMember) return notMember.ToResult();

        var objectionId = Guid.CreateVersion7();
        stream.AppendOne(new ObjectionRaised(proposalId, objectionId, request.ObjectorId, reason, request.Tests));
        return TypedResults.Created($"/api/orgs/{orgId}/proposals/{proposalId}", new ObjectionCreatedResponse(objectionId));
    }

    /// <summary>Integrate an objection by amending the proposed changes (§5.3.4).</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/objections/{objectionId}/integrate", OperationId = "integrateObjection"), Tags("Proposals")]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Integrate(
        Guid orgId, Guid proposalId, Guid objectionId, AmendChanges request, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenProposalAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        var objection = proposal.Objections.FirstOrDefault(o => o.Id == objectionId);
        if (objection is null) return Problem.NotFound("objection-not-found", $"The proposal has no objection {objectionId}.").ToResult();
        if (objection.Integrated) return Problem.Conflict("objection-integrated", "This objection is already integrated.").ToResult();
        if (await DryRunAsync(orgId, proposal.CircleId, request.Changes ?? [], session, ct) is { } problem) return problem;

        var integrated = new ObjectionIntegrated(proposalId, objectionId, request.Changes ?? []);
        stream.AppendOne(integrated);
        return TypedResults.Ok(Describe(Proposal.Fold(proposal, integrated)!));
    }

    /// <summary>Amend the changes of an open proposal.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/amend", OperationId = "amendProposal"), Tags("Proposals")]
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Amend(Guid orgId, Guid proposalId, AmendChanges request, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenProposalAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (await DryRunAsync(orgId, proposal.CircleId, request.Changes ?? [], session, ct) is { } problem) return problem;

        var amended = new ProposalAmended(proposalId, request.Changes ?? []);
        stream.AppendOne(amended);
        return TypedResults.Ok(Describe(Proposal.Fold(proposal, amended)!));
    }

    /// <summary>Adopt a proposal without open objections: its changes are applied to the circle.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/adopt", OperationId = "adoptProposal"), Tags("Proposals")]
    public static async Task<Results<Ok<AdoptionResponse>, ProblemHttpResult>> Adopt(Guid orgId, Guid proposalId, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenProposalAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        var proposal = stream!.Aggregate!;
        if (proposal.OpenObjections.Any())
        {
            return new Problem(StatusCodes.Status409Conflict, "open-objections", "The proposal has open objections.",
                $"{proposal.OpenObjections.Count()} objection(s) must be integrated before the proposal can be adopted.", "Holacracy 5.0 §5.3.4").ToResult();
        }
        if (await session.RoleAsync(orgId, proposal.CircleId, ct) is not { IsCircle: true } circle)
        {
            return Problem.Conflict("circle-gone", "The proposal's circle no longer exists.").ToResult();
        }

        var outcome = await ApplyingGovernance.ApplyAsync(circle, proposal.Changes, expectedVersion: null, proposalId, session, ct);
        if (outcome.Problem is { } problem)
        {
            // Lawful when proposed, not any more: the circle changed in a way that conflicts.
            return (problem with
            {
                Status = StatusCodes.Status409Conflict,
                Detail = $"The circle changed since the proposal was made: {problem.Detail}",
            }).ToResult(ApplyingGovernance.ChangeIndex(outcome.ChangeIndex));
        }
        stream.AppendOne(new ProposalAdopted(proposalId, circle.Id, outcome.Version));
        return TypedResults.Ok(new AdoptionResponse(ProposalStatus.Adopted, outcome.Version));
    }

    /// <summary>Withdraw an open proposal.</summary>
    [WolverinePost("/api/orgs/{orgId}/proposals/{proposalId}/withdraw", OperationId = "withdrawProposal"), Tags("Proposals")]
    public static async Task<Results<Ok<ProposalCreatedResponse>, ProblemHttpResult>> Withdraw(Guid orgId, Guid proposalId, IDocumentSession session, CancellationToken ct)
    {
        var (stream, refused) = await OpenProposalAsync(orgId, proposalId, session, ct);
        if (refused is not null) return refused.ToResult();
        stream!.AppendOne(new ProposalWithdrawn(proposalId));
        return TypedResults.Ok(new ProposalCreatedResponse(proposalId, ProposalStatus.Withdrawn));
    }

    /// <summary>Locks the proposal's stream, so its steps (object, integrate, adopt, withdraw) happen one at a time.</summary>
    private static async Task<(JasperFx.Events.IEventStream<Proposal>? Stream, Problem? Refused)> OpenProposalAsync(
        Guid orgId, Guid proposalId, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Proposal>(proposalId, ct);
        if (stream.Aggregate is not { } proposal || proposal.OrgId != orgId) return (null, ProposalNotFound(proposalId));
        return proposal.Status == ProposalStatus.Open
            ? (stream, null)
            : (null, Problem.Conflict("proposal-closed", $"The proposal is {proposal.Status.ToLowerInvariant()}; only an open proposal can change."));
    }

    private static async Task<ProblemHttpResult?> DryRunAsync(Guid orgId, Guid circleId, IReadOnlyList<GovernanceChange> changes, IQuerySession session, CancellationToken ct)
    {
        var circle = await session.RoleAsync(orgId, circleId, ct);
        if (circle is null) return Problem.Conflict("circle-gone", "The proposal's circle no longer exists.").ToResult();
        var (_, problem, index) = GovernanceRules.Decide(await ApplyingGovernance.SnapshotAsync(circle, changes, session, ct), changes, Guid.NewGuid);
        return problem?.ToResult(ApplyingGovernance.ChangeIndex(index));
    }

    private static Problem? CheckTension(string? tension) =>
        string.IsNullOrWhiteSpace(tension) || tension.Trim().Length > GovernanceRules.MaxTextLength
            ? Problem.BadRequest("invalid-tension", $"A proposal names the tension it resolves in 1 to {GovernanceRules.MaxTextLength} characters (§5.3.1).")
            : null;

    private static Problem ProposalNotFound(Guid proposalId) =>
        Problem.NotFound("proposal-not-found", $"The organisation has no proposal {proposalId}.");

    private static ProposalResponse Describe(Proposal p) => new(
        p.Id, p.CircleId, p.ProposerId, p.Status, p.Tension, p.Changes,
        [.. p.Objections.Select(o => new ObjectionResponse(o.Id, o.ObjectorId, o.Reason, o.Integrated ? "Integrated" : "Open", o.Tests))],
        p.AdoptedVersion);
}
