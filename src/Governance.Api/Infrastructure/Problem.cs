using Microsoft.AspNetCore.Http.HttpResults;

namespace Governance.Infrastructure;

/// <summary>
/// A refusal worth an RFC 9457 problem response. Pure rule code returns these; the HTTP edge turns
/// them into <c>application/problem+json</c>. <see cref="Rule"/> cites the constitution when a
/// constitutional rule is the reason.
/// </summary>
public sealed record Problem(int Status, string Type, string Title, string Detail, string? Rule = null)
{
    public const string TypePrefix = "https://governance.dev/problems/";

    /// <summary>ISO 4217 codes are three letters; the case is normalised to upper.</summary>
    public static Problem? InvalidCurrency(string? currency) =>
        currency is null || System.Text.RegularExpressions.Regex.IsMatch(currency.Trim(), "^[A-Za-z]{3}$")
            ? null
            : BadRequest("invalid-currency", $"'{currency}' is not an ISO 4217 currency code such as EUR.");

    public static Problem BadRequest(string type, string detail) =>
        new(StatusCodes.Status400BadRequest, type, "The request is malformed.", detail);

    public static Problem NotFound(string type, string detail) =>
        new(StatusCodes.Status404NotFound, type, "Not found.", detail);

    /// <summary>403: the caller may not do this; <paramref name="section"/> when the constitution is why.</summary>
    public static Problem Forbidden(string type, string title, string detail, string? section = null) =>
        new(StatusCodes.Status403Forbidden, type, title, detail, section is null ? null : $"Holacracy 5.0 {section}");

    public static Problem Conflict(string type, string detail) =>
        new(StatusCodes.Status409Conflict, type, "Conflict.", detail);

    public static Problem Violation(string type, string title, string detail, string? section = null) =>
        new(StatusCodes.Status422UnprocessableEntity, type, title, detail,
            section is null ? null : $"Holacracy 5.0 {section}");

    /// <summary>503: retry shortly (send Retry-After with it).</summary>
    public static Problem Unavailable(string type, string title, string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, type, title, detail);

    /// <summary>A detail that repeats the caller's input is cut: a 10k-character name is not sent back whole.</summary>
    public const int MaxDetailLength = 1000;

    private static string Shortened(string detail) => detail.Length <= MaxDetailLength ? detail : detail[..MaxDetailLength] + "…";

    public ProblemHttpResult ToResult(IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>());
        if (Rule is not null)
        {
            ext["rule"] = Rule;
        }
        return TypedResults.Problem(detail: Shortened(Detail), statusCode: Status, title: Title, type: TypePrefix + Type, extensions: ext);
    }
}
