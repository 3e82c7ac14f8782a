using System.Runtime.InteropServices;
using Governance.DecisionRights;
using Governance.Roles;

namespace Governance.Registry;

/// <summary>
/// The free-text index of every organisation: each domain holding is a document whose words are
/// weighted like PostgreSQL's <c>ts_rank</c> defaults: domain key, title and keywords 1.0, role name
/// 0.4, role purpose and accountabilities 0.2. A question scores each document by the sum, over
/// its distinct lexemes found there, of the best weight times the lexeme's rarity
/// (<c>ln(1 + documents / documents containing it)</c>), so "refund" outweighs "customer".
/// Kept current by <see cref="LiveRegistry"/>; not thread-safe on its own.
/// </summary>
public sealed partial class TextIndex
{
    public const float DomainWeight = 1.0f;
    public const float NameWeight = 0.4f;
    public const float PurposeWeight = 0.2f;

    /// <summary>A domain holding as the index sees it, with the lexemes it is filed under.</summary>
    private sealed record Document(string Key, string Title, Guid RoleId, string RoleName, string[] Lexemes);

    private sealed class Organisation
    {
        public readonly Dictionary<string, Postings> Postings = new(StringComparer.Ordinal);
        public readonly List<Document?> Documents = [];
        /// <summary>Each document's key order in a number (<see cref="KeyOrder"/>), so ties rarely need the key itself.</summary>
        public readonly List<ulong> KeyOrders = [];
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
                    if (postings.Count == 0) org.Postings.Remove(lexeme);
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
            var id = index.Free.Count > 0 ? index.Free.Pop() : Append(index);
            index.Documents[id] = new Document(domain.Key, domain.Title, role.Id, role.Name, [.. weights.Keys]);
            index.KeyOrders[id] = KeyOrder(domain.Key);
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
    /// The best documents for these lexemes, best first. A list of postings at a time, those that
    /// can add most first, into a score list kept in document order, so each is a forward merge.
    /// Once the most the remaining lists could add is below the current <paramref name="limit"/>-th
    /// best score, no unseen document can enter the top: the remaining lists are only added to the
    /// documents found so far that can still reach it (the "max-score" pruning of search engines).
    /// </summary>
    public IReadOnlyList<TextMatch> Search(Guid orgId, IReadOnlyCollection<string> lexemes, int limit)
    {
        if (!_organisations.TryGetValue(orgId, out var index) || index.Count == 0) return [];
        // Each lexeme's strong and weak postings are scored as separate parts, the parts that can add most first.
        var parts = lexemes.Where(index.Postings.ContainsKey).Select(l => index.Postings[l])
            .SelectMany(p => new[] { (List: p.Domain, Rarity: Math.Log(1 + (double)index.Count / p.Count)), (List: p.Other, Rarity: Math.Log(1 + (double)index.Count / p.Count)) })
            .Where(p => p.List.Count > 0)
            .OrderByDescending(p => p.List.MaxWeight * p.Rarity).ThenBy(p => p.List.Count)
            .ToList();
        var mostFromHere = new double[parts.Count + 1];
        for (var i = parts.Count - 1; i >= 0; i--) mostFromHere[i] = mostFromHere[i + 1] + parts[i].List.MaxWeight * parts[i].Rarity;

        var found = Scratch.Get();
        for (var i = 0; i < parts.Count; i++)
        {
            var (list, rarity) = parts[i];
            var threshold = found.Count >= limit ? KthBest(found, limit) : double.NegativeInfinity;
            if (threshold > mostFromHere[i])
            {
                found.KeepFrom(threshold - mostFromHere[i]);
                found.AddWhereFound(CollectionsMarshal.AsSpan(list.Documents), CollectionsMarshal.AsSpan(list.Weights), rarity);
            }
            else
            {
                found.Merge(CollectionsMarshal.AsSpan(list.Documents), CollectionsMarshal.AsSpan(list.Weights), rarity);
            }
        }
        return Best(index, found, limit);
    }

    /// <summary>
    /// The best few, best first, ties by key. Scores are compared first (cheap); keys only among
    /// documents tied with the weakest of the best, which free-text scores produce by the thousand.
    /// </summary>
    private static List<TextMatch> Best(Organisation index, Scratch found, int limit)
    {
        if (found.Count == 0) return [];
        var cut = found.Count > limit ? KthBest(found, limit) : double.NegativeInfinity;
        var above = new List<(Document Document, double Score)>();
        // The tied documents with the first keys: a heap whose root is the last key kept.
        var tied = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => -KeyCompare(index, a, b)));
        for (var i = 0; i < found.Count; i++)
        {
            var (id, score) = (found.Documents[i], found.Scores[i]);
            if (score < cut) continue;
            if (score > cut) above.Add((index.Documents[id]!, score));
            else if (tied.Count < limit) tied.Enqueue(id, id);
            else if (KeyCompare(index, id, tied.Peek()) < 0) tied.EnqueueDequeue(id, id);
        }
        var ranked = above.OrderByDescending(a => a.Score).ThenBy(a => a.Document.Key, StringComparer.Ordinal).ToList();
        var ties = new List<Document>();
        while (tied.TryDequeue(out var id, out _)) ties.Add(index.Documents[id]!);
        ranked.AddRange(Enumerable.Reverse(ties).Select(d => (d, cut)));
        return [.. ranked.Take(limit).Select(r => new TextMatch(r.Document.Key, r.Document.Title, r.Document.RoleId, r.Document.RoleName, r.Score))];
    }

    /// <summary>Two documents in key order: by their key orders, and by the keys only when those are equal.</summary>
    private static int KeyCompare(Organisation index, int a, int b)
    {
        var byStart = index.KeyOrders[a].CompareTo(index.KeyOrders[b]);
        return byStart != 0 ? byStart : string.CompareOrdinal(index.Documents[a]!.Key, index.Documents[b]!.Key);
    }

    /// <summary>The k-th best score found (by a bounded heap of scores).</summary>
    private static double KthBest(Scratch found, int k)
    {
        var top = new PriorityQueue<double, double>(k);
        foreach (var score in found.Scores)
        {
            if (top.Count < k) top.Enqueue(score, score);
            else if (score > top.Peek()) top.EnqueueDequeue(score, score);
        }
        return top.Peek();
    }

    private static Dictionary<string, float> Weigh(Dictionary<string, float> weights, Lexicon lexicon, float weight, IEnumerable<string> words)
    {
        foreach (var lexeme in words.SelectMany(lexicon.Of))
        {
            if (weights.GetValueOrDefault(lexeme) < weight) weights[lexeme] = weight;
        }
        return weights;
    }

    private static int Append(Organisation index)
    {
        index.Documents.Add(null);
        index.KeyOrders.Add(0);
        return index.Documents.Count - 1;
    }

    /// <summary>
    /// The first ten characters of a domain key (lowercase letters, digits, '-' and '/') as six-bit
    /// codes in ordinal order, end of key lowest: comparing two of these compares the keys' starts.
    /// </summary>
    public static ulong KeyOrder(string key)
    {
        ulong order = 0;
        for (var i = 0; i < 10; i++)
        {
            ulong code = i >= key.Length ? 0 : key[i] switch
            {
                '-' => 1,
                '/' => 2,
                >= '0' and <= '9' => 3u + key[i] - '0',
                >= 'a' and <= 'z' => 13u + key[i] - 'a',
                _ => 63,
            };
            order = (order << 6) | code;
        }
        return order;
    }
}
