using System.Globalization;
using System.Text.RegularExpressions;

namespace Governance.DecisionRights;

/// <summary>A domain found for a free-text question, with the role holding it and its text-search rank.</summary>
public sealed record TextMatch(string Key, string Title, Guid RoleId, string RoleName, double Score);

/// <summary>What a free-text question resolves to: one domain, several close ones, or none.</summary>
public sealed record TextVerdict(TextMatch? Winner, IReadOnlyList<TextMatch> Candidates, bool Ambiguous);

/// <summary>
/// Free-text questions ("refund over 500 EUR"): the <see cref="Registry.TextIndex"/> ranks the domains whose
/// words the question shares; the choice among them is a pure function. Words count if any of them
/// matches (support staff type sentences, not search expressions).
/// </summary>
public static partial class FreeText
{
    /// <summary>Second-best within this fraction of the best, for another role: Ambiguous.</summary>
    public const double AmbiguityMargin = 0.9;
    public const int MaxCandidates = 10;
    /// <summary>Words of a question beyond these are ignored.</summary>
    public const int MaxWords = 32;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>The distinct words of a text, lower-cased: letters and digits only, so nothing needs escaping.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Distinct()];

    /// <summary>Picks the winner; two roles within the margin of each other make the question Ambiguous.</summary>
    public static TextVerdict Choose(IReadOnlyList<TextMatch> ranked)
    {
        var ordered = ranked.OrderByDescending(m => m.Score).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0) return new TextVerdict(null, [], false);
        var best = ordered[0];
        var close = ordered.Skip(1).Any(m => m.RoleId != best.RoleId && m.Score >= best.Score * AmbiguityMargin);
        return new TextVerdict(close ? null : best, ordered, close);
    }

    [GeneratedRegex(@"(?<amount>\d+(?:[.,]\d{1,2})?)\s*(?<currency>[A-Za-z]{3}\b|€|\$|£)|(?<currency2>€|\$|£)\s*(?<amount2>\d+(?:[.,]\d{1,2})?)")]
    private static partial Regex Money();

    /// <summary>An amount and currency written in the question ("over 500 EUR", "€20"), if any.</summary>
    public static (decimal Amount, string Currency)? AmountIn(string text)
    {
        var m = Money().Match(text);
        if (!m.Success) return null;
        var amountText = (m.Groups["amount"].Success ? m.Groups["amount"].Value : m.Groups["amount2"].Value).Replace(',', '.');
        var currency = (m.Groups["currency"].Success ? m.Groups["currency"].Value : m.Groups["currency2"].Value) switch
        {
            "€" => "EUR",
            "$" => "USD",
            "£" => "GBP",
            var code => code.ToUpperInvariant(),
        };
        return decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? (amount, currency) : null;
    }
}
