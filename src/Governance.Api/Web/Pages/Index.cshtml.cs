using Governance.Identity;
using Governance.Organisations;
using Governance.People;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Governance.Web.Pages;

/// <summary>The start page: the organisations the caller may open (the development user: all of them, up to 100; a person: those they belong to).</summary>
[WebPage]
[Requires(Right.Read)]
public sealed class IndexModel(IQuerySession session) : PageModel
{
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    /// <summary>Opens an organisation by the id typed in (<c>?org=</c>), else lists the caller's.</summary>
    public async Task<IActionResult> OnGetAsync(string? org, CancellationToken ct)
    {
        if (org is not null)
        {
            return Guid.TryParse(org.Trim(), out var id) ? Redirect($"/orgs/{id}") : Redirect("/");
        }
        // Only the development user stands in every organisation; a person in those that know them as Standing does (subject, else e-mail).
        if (HttpContext.Caller().Actor.Kind == Actor.Kinds.Development)
        {
            Organisations = await session.Query<Organisation>().OrderBy(o => o.Name).Take(100).ToListAsync(ct);
        }
        else if (HttpContext.Caller().Actor.Kind == Actor.Kinds.Person)
        {
            // A claim the token lacks matches no one (never every person without an external id).
            var email = Standing.VerifiedEmailOf(User) is { } verified ? Person.Normalize(verified) : "";
            var subject = User.FindFirst(Schemes.SubjectClaim)?.Value ?? "";
            var orgIds = await session.Query<Person>().Where(p => p.ExternalId == subject || (p.ExternalId == null && p.NormalizedEmail == email)).Select(p => p.OrgId).Take(100).ToListAsync(ct);
            Organisations = await session.Query<Organisation>().Where(o => orgIds.Contains(o.Id)).OrderBy(o => o.Name).ToListAsync(ct);
        }
        return Page();
    }
}
