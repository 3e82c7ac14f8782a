using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Governance.Organisations;

public sealed record FoundOrganisation(string Name, string? Purpose = null);

public sealed record OrganisationFoundedResponse(Guid Id, Guid AnchorCircleId);

public sealed record OrganisationResponse(Guid Id, string Name, Guid AnchorCircleId);

/// <summary>Founding an organisation creates its Anchor Circle (§1.3.3) and that circle's Circle Lead role (§1.4).</summary>
public static class FoundingOrganisations
{
    [WolverinePost("/api/orgs"), Tags("Organisations")]
    [ProducesResponseType<OrganisationFoundedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static IResult Post(FoundOrganisation request, HttpContext http, IDocumentSession session)
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
        session.Events.StartStream(orgId, new OrganisationFounded(orgId, name, anchorId));
        session.Events.StartStream(anchorId, new RoleCreated(anchorId, orgId, null, name, purpose, true, false, leadId));
        session.Events.StartStream(leadId, new RoleCreated(leadId, orgId, anchorId,
            GovernanceRules.CircleLeadName, GovernanceRules.CircleLeadPurpose, false, true, null));
        return Idempotency.Created(http, session, $"/api/orgs/{orgId}", new OrganisationFoundedResponse(orgId, anchorId));
    }

    [WolverineGet("/api/orgs/{orgId}"), Tags("Organisations")]
    [ProducesResponseType<OrganisationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid orgId, string? asOf, LiveRegistry registry, CancellationToken ct)
    {
        var (instant, bad) = AsOf.Parse(asOf);
        if (bad is not null) return bad.ToResult();
        return await registry.ReadAsync(orgId, instant, snapshot => snapshot?.Organisation is { } org
            ? Results.Ok(new OrganisationResponse(org.Id, org.Name, org.AnchorCircleId))
            : NotFound.Organisation(orgId).ToResult(), ct);
    }
}
