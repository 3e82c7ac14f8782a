using Governance.DecisionRights;
using Governance.Registry;
using Governance.Roles;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Web.Pages.Orgs;

/// <summary>
/// "Who decides?" in one box: a domain key or free text, with an optional amount. A word that is a
/// valid key but names no domain is asked again as free text, so "refund" finds the refunds domain.
/// </summary>
public sealed class DecideModel(LiveRegistry registry) : OrgPageModel(registry)
{
    [FromQuery(Name = "q")]
    public string? Question { get; set; }

    [FromQuery(Name = "amount")]
    public string? Amount { get; set; }

    [FromQuery(Name = "currency")]
    public string? Currency { get; set; }

    public DecisionResponse? Answer { get; private set; }

    /// <summary>The problem with the question itself (shown next to the box; the page stays).</summary>
    public Infrastructure.Problem? QuestionProblem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!await BeginAsync(ct) || string.IsNullOrWhiteSpace(Question)) return;
        var text = Question.Trim();
        var amount = string.IsNullOrWhiteSpace(Amount) ? null : Amount.Trim();
        var currency = string.IsNullOrWhiteSpace(Currency) ? null : Currency.Trim();
        if (DomainKey.IsValid(text))
        {
            var byKey = await AskAsync(text, null, amount, currency, ct);
            if (byKey is not { Status: DecisionStatus.NoDomain } || text.Contains('/', StringComparison.Ordinal) || Instant is not null)
            {
                Answer = byKey;
                return;
            }
        }
        Answer = await AskAsync(null, text, amount, currency, ct);
    }

    private async Task<DecisionResponse?> AskAsync(string? domain, string? q, string? amount, string? currency, CancellationToken ct)
    {
        var result = await AskingWhoDecides.Get(OrgId, domain, q, amount, currency, AsOf, Registry, ct);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<DecisionResponse> ok) return ok.Value;
        QuestionProblem = WebProblem.From((Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)result.Result);
        Response.StatusCode = QuestionProblem.Status;
        return null;
    }

    /// <summary>How the person came to decide, in plain language.</summary>
    public static string ViaText(string via) => via switch
    {
        DecisionVia.RoleFiller => "fills the role",
        DecisionVia.CircleLead => "as Circle Lead, covering the role while it is unfilled (§1.4.2)",
        DecisionVia.PolicyGrant => "granted by a policy",
        _ => via,
    };
}
