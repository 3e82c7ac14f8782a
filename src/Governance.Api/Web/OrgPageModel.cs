using Governance.Identity;
using Governance.Infrastructure;
using Governance.Organisations;
using Governance.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Governance.Web;

/// <summary>
/// A page of one organisation, at an instant: <c>?asOf=</c> on every page, kept by every link it
/// renders (<see cref="Href"/>). Pages call the API's own read functions, so they show what the
/// API shows this caller, and its problems (an unknown role, a bad instant) as the page's status.
/// </summary>
[WebPage]
[Requires(Right.Read)]
public abstract class OrgPageModel(LiveRegistry registry) : PageModel
{
    [FromRoute(Name = "orgId")]
    public Guid OrgId { get; set; }

    [FromQuery(Name = "asOf")]
    public string? AsOf { get; set; }

    /// <summary>The past instant shown; null for now.</summary>
    public DateTimeOffset? Instant { get; private set; }

    public OrganisationResponse? Organisation { get; private set; }

    /// <summary>Why the page has nothing to show (its status is the problem's).</summary>
    public Problem? Problem { get; private set; }

    protected LiveRegistry Registry => registry;

    public Caller Caller => HttpContext.Caller();

    /// <summary>A link within the organisation that keeps the instant shown.</summary>
    public string Href(string path) =>
        AsOf is null ? $"/orgs/{OrgId}{path}" : $"/orgs/{OrgId}{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}asOf={Uri.EscapeDataString(AsOf)}";

    /// <summary>The same link at the present instant.</summary>
    public string HrefNow(string path) => $"/orgs/{OrgId}{path}";

    /// <summary>Reads the instant and the organisation; false (with <see cref="Problem"/> set) when either is wrong.</summary>
    protected async Task<bool> BeginAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(AsOf)) AsOf = null;
        var (instant, bad) = Governance.Registry.AsOf.Parse(AsOf);
        if (bad is not null) return Fail(bad);
        Instant = instant;
        Organisation = Take(await FoundingOrganisations.Get(OrgId, AsOf, registry, ct));
        return Organisation is not null;
    }

    /// <summary>The value of an API read, or null with the problem recorded.</summary>
    protected T? Take<T>(Results<Ok<T>, ProblemHttpResult> result) where T : class
    {
        if (result.Result is Ok<T> ok) return ok.Value;
        Fail(WebProblem.From((ProblemHttpResult)result.Result));
        return null;
    }

    protected bool Fail(Problem problem)
    {
        Problem = problem;
        Response.StatusCode = problem.Status;
        return false;
    }

    public bool MayAudit => Standing.Refusal(Caller, Right.Audit) is null;
}
