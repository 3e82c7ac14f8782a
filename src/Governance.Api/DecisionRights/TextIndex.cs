using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Governance.Roles;
using Npgsql;

namespace Governance.DecisionRights;

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

/// <summary>
/// The free-text index of every organisation: each domain holding is a document whose words are
/// weighted like PostgreSQL's <c>ts_rank</c> defaults: domain key, title and keywords 1.0, role name
/// 0.4, role purpose and accountabilities 0.2. A question scores each document by the sum, over
/// its distinct lexemes found there, of the best weight times the lexeme's rarity
/// (<c>ln(1 + documents / documents containing it)</c>), so "refund" outweighs "customer".
/// Kept current by <see cref="LiveRegistry"/>; not thread-safe on its own.
/// </summary>
public sealed class TextIndex
{
    public const float DomainWeight = 1.0f;
    public const float NameWeight = 0.4f;
    public const float PurposeWeight = 0.2f;

    private sealed record Document(string Key, string Title, Guid RoleId, string RoleName, string[] Lexemes);

    /// <summary>The documents containing one lexeme, with its weight in each, and how many carry each weight (for the best it can add).</summary>
    private sealed class Postings
    {
        public readonly Dictionary<int, float> Weights = [];
        private int _domain, _name;

        public float MaxWeight => _domain > 0 ? DomainWeight : _name > 0 ? NameWeight : PurposeWeight;

        public void Add(int document, float weight)
        {
            Weights[document] = weight;
            Count(weight, 1);
        }

        public void Remove(int document)
        {
            if (Weights.Remove(document, out var weight)) Count(weight, -1);
        }

        private void Count(float weight, int change)
        {
            if (weight >= DomainWeight) _domain += change;
            else if (weight >= NameWeight) _name += change;
        }
    }

    private sealed class Organisation
    {
        public readonly Dictionary<string, Postings> Postings = new(StringComparer.Ordinal);
        public readonly List<Document?> Documents = [];
        public readonly Stack<int> Free = new();
        public int Count;
    }

    private readonly Dictionary<Guid, Organisation> _organisations = [];
    private readonly Dictionary<Guid, (Guid OrgId, List<int> Documents)> _roles = [];

    /// <summary>The words whose lexemes indexing this role needs.</summary>
    public static IEnumerable<string> WordsOf(Role role) =>
        role.Domains.SelectMany(DomainWords).Concat(FreeText.Words(role.Name)).Concat(PurposeWords(role));

    private static IEnumerable<string> DomainWords(HeldDomain domain) =>
        FreeText.Words(domain.Key).Concat(FreeText.Words(domain.Title)).Concat(domain.Keywords.SelectMany(FreeText.Words));

    private static IEnumerable<string> PurposeWords(Role role) =>
        FreeText.Words(role.Purpose).Concat(role.Accountabilities.SelectMany(FreeText.Words));

    /// <summary>Replaces the documents of a role by those of its current state (none when removed).</summary>
    public void Replace(Guid roleId, Role? role, Lexicon lexicon)
    {
        if (_roles.Remove(roleId, out var old))
        {
            var org = _organisations[old.OrgId];
            foreach (var id in old.Documents)
            {
                foreach (var lexeme in org.Documents[id]!.Lexemes)
                {
                    var postings = org.Postings[lexeme];
                    postings.Remove(id);
                    if (postings.Weights.Count == 0) org.Postings.Remove(lexeme);
                }
                org.Documents[id] = null;
                org.Free.Push(id);
                org.Count--;
            }
        }
        if (role is null || role.Domains.Count == 0) return;

        var index = _organisations.TryGetValue(role.OrgId, out var found) ? found : _organisations[role.OrgId] = new Organisation();
        var roleWords = Weigh([], lexicon, NameWeight, FreeText.Words(role.Name));
        roleWords = Weigh(roleWords, lexicon, PurposeWeight, PurposeWords(role));
        var documents = new List<int>();
        foreach (var domain in role.Domains)
        {
            var weights = Weigh(new Dictionary<string, float>(roleWords, StringComparer.Ordinal), lexicon, DomainWeight, DomainWords(domain));
            var id = index.Free.Count > 0 ? index.Free.Pop() : Append(index.Documents);
            index.Documents[id] = new Document(domain.Key, domain.Title, role.Id, role.Name, [.. weights.Keys]);
            index.Count++;
            foreach (var (lexeme, weight) in weights)
            {
                (index.Postings.TryGetValue(lexeme, out var postings) ? postings : index.Postings[lexeme] = new Postings()).Add(id, weight);
            }
            documents.Add(id);
        }
        _roles[roleId] = (role.OrgId, documents);
    }

    /// <summary>
    /// The best documents for these lexemes, best first. Rarest lexemes are scored first; once the
    /// most the remaining (common) lexemes could add to an unseen document is below the current
    /// <paramref name="limit"/>-th best score, they only add to documents already found, instead
    /// of walking every document that contains them (the "max-score" pruning of search engines).
    /// </summary>
    public IReadOnlyList<TextMatch> Search(Guid orgId, IReadOnlyCollection<string> lexemes, int limit)
    {
        if (!_organisations.TryGetValue(orgId, out var index) || index.Count == 0) return [];
        var terms = lexemes.Select(l => index.Postings.GetValueOrDefault(l)).OfType<Postings>()
            .OrderBy(p => p.Weights.Count)
            .Select(p => (Postings: p, Rarity: Math.Log(1 + (double)index.Count / p.Weights.Count)))
            .ToList();
        var mostFromHere = new double[terms.Count + 1];
        for (var i = terms.Count - 1; i >= 0; i--) mostFromHere[i] = mostFromHere[i + 1] + terms[i].Postings.MaxWeight * terms[i].Rarity;

        var scores = new Dictionary<int, double>();
        for (var i = 0; i < terms.Count; i++)
        {
            var (postings, rarity) = terms[i];
            if (scores.Count >= limit && KthBest(scores.Values, limit) > mostFromHere[i])
            {
                foreach (var id in scores.Keys.ToArray())
                {
                    if (postings.Weights.TryGetValue(id, out var weight)) scores[id] += weight * rarity;
                }
                continue;
            }
            foreach (var (id, weight) in postings.Weights)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(scores, id, out _) += weight * rarity;
            }
        }

        // The best few by a bounded heap whose root is the weakest kept (lower score, then later key).
        var best = new PriorityQueue<Document, (double Score, string Key)>(Weakest);
        foreach (var (id, score) in scores)
        {
            if (best.Count == limit && best.TryPeek(out _, out var weakest) && score < weakest.Score) continue;
            var document = index.Documents[id]!;
            if (best.Count < limit) best.Enqueue(document, (score, document.Key));
            else best.EnqueueDequeue(document, (score, document.Key));
        }
        var matches = new List<TextMatch>(best.Count);
        while (best.TryDequeue(out var document, out var rank))
        {
            matches.Add(new TextMatch(document.Key, document.Title, document.RoleId, document.RoleName, rank.Score));
        }
        matches.Reverse();
        return matches;
    }

    private static double KthBest(IEnumerable<double> scores, int k)
    {
        var top = new PriorityQueue<double, double>(k);
        foreach (var score in scores)
        {
            if (top.Count < k) top.Enqueue(score, score);
            else if (score > top.Peek()) top.EnqueueDequeue(score, score);
        }
        return top.Peek();
    }

    private static readonly Comparer<(double Score, string Key)> Weakest = Comparer<(double Score, string Key)>.Create((a, b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(b.Key, a.Key));

    private static Dictionary<string, float> Weigh(Dictionary<string, float> weights, Lexicon lexicon, float weight, IEnumerable<string> words)
    {
        foreach (var lexeme in words.SelectMany(lexicon.Of))
        {
            if (weights.GetValueOrDefault(lexeme) < weight) weights[lexeme] = weight;
        }
        return weights;
    }

    private static int Append(List<Document?> documents)
    {
        documents.Add(null);
        return documents.Count - 1;
    }
}
