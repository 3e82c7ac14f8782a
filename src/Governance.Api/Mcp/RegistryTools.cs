using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Governance.DecisionRights;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Governance.Roles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Governance.Mcp;

/// <summary>
/// The registry's questions as MCP tools, answered by the very functions behind the REST routes
/// with the same JSON bodies; a refusal (a bad instant, an unknown role) is a tool result with
/// <c>isError</c> and the problem's detail, as an assistant can read and act on.
/// </summary>
[McpServerToolType]
public static class RegistryTools
{
    [McpServerTool(Name = "who_decides", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Who decides this? Ask by domain key (e.g. customer-service/refunds) or in free text; answers the people, the role, the domain, the policies and the rule chain citing the constitution (as GET /api/orgs/{org}/decision-makers).")]
    public static async Task<CallToolResult> WhoDecides(
        IHttpContextAccessor http, LiveRegistry registry,
        [Description("The question in free text, e.g. 'refund over 500 EUR' (current state only).")] string? question = null,
        [Description("A domain key, e.g. customer-service/refunds; a deeper key falls back to the most specific enclosing domain.")] string? domain = null,
        [Description("An amount to spend: only policy grants whose limit covers it apply.")] decimal? amount = null,
        [Description("ISO 4217 currency of the amount, e.g. EUR.")] string? currency = null,
        [Description("An ISO-8601 instant: who decided then (with domain only).")] string? asOf = null,
        CancellationToken ct = default)
    {
        var (context, orgId) = Request(http);
        return Answer(context, await AskingWhoDecides.Get(orgId, domain, question, amount?.ToString(CultureInfo.InvariantCulture), currency, asOf, registry, ct));
    }

    [McpServerTool(Name = "get_role", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("A role's definition: purpose, accountabilities, domains, policies and who fills it (as GET /api/orgs/{org}/roles/{roleId}).")]
    public static async Task<CallToolResult> GetRole(
        IHttpContextAccessor http, LiveRegistry registry,
        [Description("The role's id (a UUID, as who_decides answers it).")] string roleId,
        [Description("An ISO-8601 instant: the role as it was then.")] string? asOf = null,
        CancellationToken ct = default)
    {
        var (context, orgId) = Request(http);
        return Guid.TryParse(roleId, out var id)
            ? Answer(context, await ReadingRoles.GetRole(orgId, id, asOf, registry, ct))
            : Refused(context, NotAnId("roleId", roleId));
    }

    [McpServerTool(Name = "person_decisions", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Everything a person decides, and through which role, Circle Lead fallback or policy grant (as GET /api/orgs/{org}/people/{personId}/decisions).")]
    public static async Task<CallToolResult> PersonDecisions(
        IHttpContextAccessor http, LiveRegistry registry,
        [Description("The person's id (a UUID, as who_decides answers it in decisionMakers).")] string personId,
        CancellationToken ct = default)
    {
        var (context, orgId) = Request(http);
        return Guid.TryParse(personId, out var id)
            ? Answer(context, await DecisionRights.PersonDecisions.Get(orgId, id, registry, ct))
            : Refused(context, NotAnId("personId", personId));
    }

    /// <summary>The request being answered and its organisation (<see cref="Identity.Standing"/> has checked both).</summary>
    private static (HttpContext Context, Guid OrgId) Request(IHttpContextAccessor http)
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("MCP tools answer HTTP requests only.");
        // Never answer a request whose standing no one checked (the route lost its [Requires] right).
        _ = context.Caller();
        return (context, Guid.Parse(context.GetRouteValue("orgId")!.ToString()!));
    }

    private static ProblemHttpResult NotAnId(string name, string value) =>
        Problem.BadRequest("invalid-id", $"{name} '{value}' is not an id (a UUID such as who_decides answers).").ToResult();

    private static CallToolResult Answer<T>(HttpContext context, Results<Ok<T>, ProblemHttpResult> result) => result.Result switch
    {
        Ok<T> ok => Content(context, ok.Value, isError: false),
        ProblemHttpResult problem => Refused(context, problem),
        _ => throw new InvalidOperationException("An answer is a body or a problem."),
    };

    private static CallToolResult Refused(HttpContext context, ProblemHttpResult problem) =>
        Content(context, problem.ProblemDetails, isError: true, text: problem.ProblemDetails.Detail);

    /// <summary>The body as the REST route writes it (the service's JSON options), as text and as structured content.</summary>
    private static CallToolResult Content<T>(HttpContext context, T body, bool isError, string? text = null)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var json = JsonSerializer.SerializeToElement(body, options);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text ?? json.GetRawText() }],
            StructuredContent = json,
            IsError = isError,
        };
    }
}
