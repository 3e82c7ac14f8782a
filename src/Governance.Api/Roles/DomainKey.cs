using System.Text.RegularExpressions;

namespace Governance.Roles;

/// <summary>
/// Hierarchical domain keys such as <c>customer-service/refunds/eu</c>: lowercase segments
/// <c>[a-z0-9][a-z0-9-]*</c> joined by <c>/</c>. A key covers itself and every key below it.
/// </summary>
public static partial class DomainKey
{
    public const int MaxLength = 200;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")]
    private static partial Regex Shape();

    public static bool IsValid(string? key) => key is { Length: > 0 and <= MaxLength } && Shape().IsMatch(key);

    /// <summary>True when <paramref name="key"/> equals <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsWithin(string key, string ancestor) =>
        key.Length == ancestor.Length
            ? string.Equals(key, ancestor, StringComparison.Ordinal)
            : key.Length > ancestor.Length && key[ancestor.Length] == '/' && key.StartsWith(ancestor, StringComparison.Ordinal);

    public static bool Overlaps(string a, string b) => IsWithin(a, b) || IsWithin(b, a);

    /// <summary>The key and each enclosing key, most specific first.</summary>
    public static IReadOnlyList<string> SelfAndAncestors(string key)
    {
        var keys = new List<string> { key };
        for (var cut = key.LastIndexOf('/'); cut > 0; cut = key.LastIndexOf('/', cut - 1))
        {
            keys.Add(key[..cut]);
        }
        return keys;
    }
}
