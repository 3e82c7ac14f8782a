using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Governance.DecisionRights;

/// <summary>A domain found for a free-text question, with the role holding it and its text-search rank.</summary>
public sealed record TextMatch(string Key, string Title, Guid RoleId, string RoleName, double Score);

/// <summary>What a free-text question resolves to: one domain, several close ones, or none.</summary>
public sealed record TextVerdict(TextMatch? Winner, IReadOnlyList<TextMatch> Candidates, bool Ambiguous);

/// <summary>
/// Free-text questions ("refund over 500 EUR"): PostgreSQL full-text search finds the candidate
/// domains; the choice among them is a pure function. Words are OR-ed, not AND-ed, because support
/// staff type sentences, and ranked with weights: domain key, title and keywords (A), role name (B),
/// role purpose and accountabilities (C).
/// </summary>
public static partial class FreeText
{
    /// <summary>Second-best within this fraction of the best, for another role: Ambiguous.</summary>
    public const double AmbiguityMargin = 0.9;
    public const int MaxCandidates = 10;

    // Candidates come from two GIN indexes (EventStoreSetup: ix_holding_text, ix_role_text); the
    // expressions below must stay exactly those of the indexes for PostgreSQL to use them. Only the
    // candidates are ranked, with the weighted vector.
    private const string Sql = """
        with candidates as (
            select h.id from {0}.mt_doc_domainholding h
            where h.org_id = @org and to_tsvector('english'::regconfig, (((((h.data ->> 'searchableKey'::text) || ' '::text) || (h.data ->> 'title'::text)) || ' '::text)
                || ((h.data ->> 'keywords'::text))::jsonb)) @@ to_tsquery('english', @q)
            union
            select h.id from {0}.mt_doc_role r join {0}.mt_doc_domainholding h on h.role_id = r.id
            where r.org_id = @org and to_tsvector('english'::regconfig, (((((r.data ->> 'name'::text) || ' '::text) || (r.data ->> 'purpose'::text)) || ' '::text)
                || ((r.data ->> 'accountabilities'::text))::jsonb)) @@ to_tsquery('english', @q)
        )
        select h.data->>'key', h.data->>'title', r.id, r.data->>'name',
               ts_rank(
                   setweight(to_tsvector('english', translate(h.data->>'key', '/-', '  ') || ' ' || coalesce(h.data->>'title', '') || ' '
                       || coalesce((select string_agg(k, ' ') from jsonb_array_elements_text(h.data->'keywords') k), '')), 'A')
                   || setweight(to_tsvector('english', coalesce(r.data->>'name', '')), 'B')
                   || setweight(to_tsvector('english', coalesce(r.data->>'purpose', '') || ' '
                       || coalesce((select string_agg(a, ' ') from jsonb_array_elements_text(r.data->'accountabilities') a), '')), 'C'),
                   to_tsquery('english', @q)) as score
        from {0}.mt_doc_domainholding h
        join {0}.mt_doc_role r on r.id = h.role_id
        where h.id in (select id from candidates)
        order by score desc, h.data->>'key'
        limit @limit
        """;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>The question's words OR-ed ("refund | 500 | eur"); only letters and digits, so nothing needs escaping. Stop words are dropped by PostgreSQL.</summary>
    public static string AnyWordQuery(string text) =>
        string.Join(" | ", Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Distinct().Take(32));

    public static async Task<IReadOnlyList<TextMatch>> SearchAsync(
        NpgsqlDataSource database, string schema, Guid orgId, string text, CancellationToken ct)
    {
        var anyWord = AnyWordQuery(text);
        if (anyWord.Length == 0) return [];
        // The query is a plain parameter in each condition, so the planner can use the GIN indexes.
        await using var command = database.CreateCommand(Sql.Replace("{0}", schema, StringComparison.Ordinal));
        command.Parameters.AddWithValue("q", anyWord);
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("limit", MaxCandidates);
        var matches = new List<TextMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var score = reader.GetFloat(4);
            if (score > 0) matches.Add(new TextMatch(reader.GetString(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), score));
        }
        return matches;
    }

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
