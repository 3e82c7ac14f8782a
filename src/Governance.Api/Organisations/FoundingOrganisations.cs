using System.Security.Claims;
using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.People;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Governance.Organisations;

public sealed record FoundOrganisation(string Name, string? Purpose = null);

public sealed record OrganisationFoundedResponse(Guid Id, Guid AnchorCircleId);

public sealed record OrganisationResponse(Guid Id, string Name, Guid AnchorCircleId);

/// <summary>
/// Founding an organisation creates its Anchor Circle (§1.3.3) and that circle's Circle Lead role
/// (§1.4); the person whose token founds it joins as its first person and admin.
/// </summary>
public static class FoundingOrganisations
{
    /// <summary>Found an organisation, with its Anchor Circle.</summary>
    [WolverinePost("/api/orgs", OperationId = "foundOrganisation"), Tags("Organisations")]
    [Requires(Right.Found)]
    public static Results<Created<OrganisationFoundedResponse>, ProblemHttpResult> Post(
        FoundOrganisation request, Caller caller, ClaimsPrincipal user, IDocumentSession session) => Found(request, caller, user, session);

    /// <summary>The founding's events, appended to the session; <paramref name="anchorExternalId"/>: the Anchor Circle's id in the system an import reads.</summary>
    public static Results<Created<OrganisationFoundedResponse>, ProblemHttpResult> Found(
        FoundOrganisation request, Caller caller, ClaimsPrincipal user, IDocumentSession session, string? anchorExternalId = null)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > GovernanceRules.MaxNameLength)
        {
            return Problem.BadRequest("invalid-name", $"An organisation needs a name of 1 to {GovernanceRules.MaxNameLength} characters.").ToResult();
        }
        var purpose = request.Purpose?.Trim() ?? "";
        if (purpose.Length > GovernanceRules.MaxTextLength)
        {
            return Problem.BadRequest("invalid-purpose", $"The purpose takes at most {GovernanceRules.MaxTextLength} characters.").ToResult();
        }

        var (orgId, anchorId, leadId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        foreach (var (streamId, e) in Events(orgId, anchorId, leadId, name, purpose, anchorExternalId)) session.Events.StartStream(streamId, e);
        if (caller.Actor.Kind == Actor.Kinds.Person)
        {
            // The founder is the person the token names: by its subject, so their later tokens find them.
            var subject = user.FindFirst(Schemes.SubjectClaim)?.Value?.Trim();
            if (string.IsNullOrEmpty(subject) || subject.Length > JoiningPeople.MaxExternalIdLength)
            {
                return Problem.BadRequest("token-names-no-one",
                    $"The token founding an organisation needs a subject (sub) of 1 to {JoiningPeople.MaxExternalIdLength} characters: its founder must be able to sign in again.").ToResult();
            }
            var email = Standing.VerifiedEmailOf(user)?.Trim() is { } claimed && JoiningPeople.IsEmail(claimed) ? claimed : "";
            var founder = Guid.CreateVersion7();
            var founderName = Standing.NameOf(user).Trim() is { Length: > 0 } given ? given[..Math.Min(given.Length, GovernanceRules.MaxNameLength)] : "Founder";
            session.SetHeader(Actor.Header, Actor.OfPerson(founder, founderName));
            session.Events.StartStream(founder, new PersonJoined(orgId, founder, founderName, email, subject));
            session.Events.Append(orgId, new AdminGranted(orgId, founder));
        }
        return TypedResults.Created($"/api/orgs/{orgId}", new OrganisationFoundedResponse(orgId, anchorId));
    }

    /// <summary>
    /// The events that found an organisation, each starting its stream: the organisation, its Anchor
    /// Circle (<paramref name="externalId"/>: its id in the system an import reads) and that circle's
    /// Circle Lead role. Pure: the route, the import's dry run and the import command all found with it.
    /// </summary>
    public static IReadOnlyList<(Guid StreamId, object Event)> Events(Guid orgId, Guid anchorId, Guid leadId, string name, string purpose, string? externalId) =>
    [
        (orgId, new OrganisationFounded(orgId, name, anchorId)),
        (anchorId, new RoleCreated(anchorId, orgId, null, name, purpose, true, false, leadId, ExternalId: externalId)),
        (leadId, new RoleCreated(leadId, orgId, anchorId, GovernanceRules.CircleLeadName, GovernanceRules.CircleLeadPurpose, false, true, null)),
    ];

    /// <summary>An organisation: its name and Anchor Circle.</summary>
    [WolverineGet("/api/orgs/{orgId}", OperationId = "getOrganisation"), Tags("Organisations")]
    [Requires(Right.Read)]
    public static async Task<Results<Ok<OrganisationResponse>, ProblemHttpResult>> Get(Guid orgId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => OrganisationIn(snapshot, orgId), ct);
    }

    public static Results<Ok<OrganisationResponse>, ProblemHttpResult> OrganisationIn(IRegistrySnapshot? snapshot, Guid orgId) =>
        snapshot?.Organisation is { } org
            ? TypedResults.Ok(new OrganisationResponse(org.Id, org.Name, org.AnchorCircleId))
            : Unknown.Organisation(orgId).ToResult();
}
