using Governance.Identity;
using Governance.Organisations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Governance.Web.Pages;

/// <summary>The start page: the organisations the caller may open (the development user: all of them, up to 100).</summary>
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
        // Only the development user stands in every organisation; others open theirs by id or link.
        if (HttpContext.Caller().Actor.Kind == Actor.Kinds.Development)
        {
            Organisations = await session.Query<Organisation>().OrderBy(o => o.Name).Take(100).ToListAsync(ct);
        }
        return Page();
    }
}
