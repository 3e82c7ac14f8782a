using System.Collections.Concurrent;
using Npgsql;

namespace Governance.Registry;

/// <summary>
/// Words to lexemes with PostgreSQL's own English text-search configuration (the same stemming and
/// stop words as <c>to_tsvector('english', …)</c>), asked once per word and remembered, so that a
/// question costs no database round trip once its words have been seen.
/// </summary>
public sealed class Lexicon(NpgsqlDataSource database)
{
    /// <summary>Words of questions are remembered up to this many; words of the registry always are.</summary>
    public const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<string, string[]> _lexemes = new(StringComparer.Ordinal);

    /// <summary>The lexemes of a known word (none for a stop word).</summary>
    public IReadOnlyList<string> Of(string word) => _lexemes.TryGetValue(word, out var lexemes) ? lexemes : [];

    /// <summary>Teaches a word's lexemes directly (tests; words already looked up elsewhere).</summary>
    public void Remember(string word, params string[] lexemes) => _lexemes[word] = lexemes;

    /// <summary>Looks up the words not yet known, in one query.</summary>
    public async Task LearnAsync(IEnumerable<string> words, bool remember, CancellationToken ct)
    {
        var unknown = words.Where(w => !_lexemes.ContainsKey(w)).Distinct(StringComparer.Ordinal).ToArray();
        if (unknown.Length == 0) return;
        await using var command = database.CreateCommand(
            "select w, tsvector_to_array(to_tsvector('english'::regconfig, w)) from unnest(@words::text[]) as w");
        command.Parameters.AddWithValue("words", unknown);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (remember || _lexemes.Count < MaxRemembered) _lexemes[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
        }
    }
}
