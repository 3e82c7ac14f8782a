using System.Globalization;
using System.Text;
using Governance.GovernanceChanges;
using Governance.Roles;

namespace Governance.Import;

/// <summary>
/// GlassFrog's domains are free text; here every domain has a key (<see cref="DomainKey"/>). The key
/// of a domain a role of circle C holds is, in this order: the mapping file's key for its
/// <c>from</c> ("Acme/Sales: Price list"); the key of C's own domain with the same text (the circle
/// delegates its whole domain, §1.3.2); in the Anchor Circle, the slug of the text; elsewhere the
/// slugs of the circle path below the Anchor Circle and of the text ("sales/price-list"). Pure and
/// stable: the same document gives the same keys, so a second import finds the domains again.
/// </summary>
public static class DerivedDomainKeys
{
    public const int MaxSegment = 48;

    /// <summary>How the report and the mapping file name a domain: the circle path and the text.</summary>
    public static string From(IReadOnlyList<string> circlePath, string text) => $"{string.Join("/", circlePath)}: {text}";

    /// <summary>A domain's title: its text, cut to a title's length.</summary>
    public static string Title(string text) => text.Length <= GovernanceRules.MaxNameLength ? text : text[..GovernanceRules.MaxNameLength].TrimEnd();

    /// <summary>The key for a domain text held in <paramref name="circle"/> at <paramref name="circlePath"/> (names from the Anchor Circle down), or why there is none.</summary>
    public static (string? Key, string? Problem) Derive(IReadOnlyList<string> circlePath, Role circle, string text, IReadOnlyDictionary<string, string> map)
    {
        if (map.TryGetValue(From(circlePath, text), out var mapped))
        {
            return DomainKey.IsValid(mapped) ? (mapped, null) : (null, $"the mapping file's key '{mapped}' is not a domain key (lowercase segments [a-z0-9][a-z0-9-]* joined by '/')");
        }
        var title = Title(text);
        if (circle.Domains.FirstOrDefault(d => string.Equals(d.Title, title, StringComparison.OrdinalIgnoreCase)) is { } whole) return (whole.Key, null);
        var segments = circlePath.Skip(1).Append(text).Select(Slug).ToList();
        var key = string.Join("/", segments);
        return key.Length <= DomainKey.MaxLength ? (key, null) : (key[..DomainKey.MaxLength].TrimEnd('/', '-'), null);
    }

    /// <summary>Lowercase ASCII letters and digits joined by single hyphens (accents dropped), at most <see cref="MaxSegment"/> characters, cut at a hyphen.</summary>
    public static string Slug(string text)
    {
        var plain = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9')) plain.Append(lower);
            else if (plain.Length > 0 && plain[^1] != '-') plain.Append('-');
        }
        var slug = plain.ToString().Trim('-');
        if (slug.Length > MaxSegment)
        {
            var cut = slug.LastIndexOf('-', MaxSegment);
            slug = slug[..(cut > 0 ? cut : MaxSegment)].Trim('-');
        }
        return slug.Length == 0 ? "domain" : slug;
    }
}
