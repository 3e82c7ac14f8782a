using System.Globalization;
using CsvHelper;
using Governance.Roles;

namespace Governance.Import;

/// <summary>
/// The CSV layout (docs/import.md, template docs/import-template.csv): one row per item, columns
/// <c>kind,circle,name,text,key,email,focus,termEnds</c>. <c>circle</c> is the path of the circle
/// the item belongs to below the Anchor Circle (<c>Sales/Inbound</c>; empty: the Anchor Circle).
/// Kinds: anchor, circle, role, accountability, domain, policy, person, assignment, election. CSV has
/// no ids: a role is known by its circle path and name, a person by e-mail. Pure: no I/O.
/// </summary>
public static class CsvLayout
{
    public const string Prefix = "csv";

    private static readonly string[] Columns = ["kind", "circle", "name", "text", "key", "email", "focus", "termEnds"];

    private sealed class Draft(string externalId, string name, string? purpose, bool isCircle)
    {
        public string ExternalId { get; } = externalId;
        public string Name { get; } = name;
        public string? Purpose { get; } = purpose;
        public List<string> Accountabilities { get; } = [];
        public List<string> Domains { get; } = [];
        public List<Draft>? Roles { get; } = isCircle ? [] : null;
        public List<SourcePolicy> Policies { get; } = [];

        /// <summary>The draft and every draft inside it as source roles, inner circles first, without recursion: a CSV may nest circles deeper than the call stack goes (ImportLimits refuses such a source once it is read).</summary>
        public SourceRole ToSource()
        {
            var order = new List<Draft>();
            var stack = new Stack<Draft>([this]);
            while (stack.TryPop(out var next))
            {
                order.Add(next);
                foreach (var inner in next.Roles ?? []) stack.Push(inner);
            }
            var built = new Dictionary<Draft, SourceRole>();
            for (var i = order.Count - 1; i >= 0; i--)
            {
                var d = order[i];
                built[d] = new(d.ExternalId, d.Name, d.Purpose, d.Accountabilities, d.Domains,
                    d.Roles is null ? null : new SourceCircle([.. d.Roles.Select(r => built[r])], d.Policies));
            }
            return built[this];
        }
    }

    /// <summary>The source the rows describe and the keys their domain rows give, or why the text is not this layout.</summary>
    public static (ImportSource? Source, Dictionary<string, string> Map, string? Error) Read(string text)
    {
        var map = new Dictionary<string, string>();
        var rows = new List<(int Line, Dictionary<string, string> Row)>();
        try
        {
            using var csv = CsvReader.FromText(text, new CsvReaderOptions { TrimWhitespace = true });
            csv.ReadHeader();
            var missing = Columns.Where(c => !csv.TryGetFieldIndex(c, out _)).ToList();
            if (missing.Count > 0) return (null, map, $"The CSV needs the columns {string.Join(",", Columns)}; missing: {string.Join(", ", missing)}.");
            while (csv.Read()) rows.Add((rows.Count + 2, Columns.ToDictionary(c => c, c => csv.GetString(c).Trim())));
        }
        catch (Exception e) when (e is CsvFormatException or ArgumentException)
        {
            return (null, map, $"The body is not CSV: {e.Message}");
        }
        if (rows.FirstOrDefault(r => r.Row["kind"].Equals("anchor", StringComparison.OrdinalIgnoreCase)) is not { Row: { } anchorRow } || anchorRow["name"].Length == 0)
        {
            return (null, map, "The CSV needs an 'anchor' row naming the organisation (its Anchor Circle) in 'name'.");
        }

        var anchor = new Draft($"{Prefix}:anchor:{DerivedDomainKeys.Slug(anchorRow["name"])}", anchorRow["name"], Blank(anchorRow["text"]), isCircle: true);
        var circles = new Dictionary<string, Draft>(StringComparer.OrdinalIgnoreCase) { [""] = anchor };
        var roles = new Dictionary<string, Draft>(StringComparer.OrdinalIgnoreCase);
        var people = new List<SourcePerson>();
        var assignments = new List<SourceAssignment>();
        var skipped = new List<SkippedItem>();
        string PathOf(Dictionary<string, string> row) => string.Join("/", row["circle"].Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string Child(string path, string name) => path.Length == 0 ? name : $"{path}/{name}";

        foreach (var (line, row) in rows)
        {
            var (kind, path, name, value) = (row["kind"].ToLowerInvariant(), PathOf(row), row["name"], row["text"]);
            var item = $"line {line} ({kind} '{name}')";
            Draft? In() => circles.GetValueOrDefault(path) is { } c ? c : Skip($"circle '{path}' has no 'circle' row above this one");
            Draft? Skip(string reason)
            {
                skipped.Add(new(item, reason));
                return null;
            }
            switch (kind)
            {
                case "anchor":
                    break;
                case "circle" or "role" when In() is { Roles: { } inner }:
                    var draft = new Draft($"{Prefix}:{kind}:{Child(path, name)}", name, Blank(value), kind == "circle");
                    if (!roles.TryAdd(Child(path, name), draft)) Skip("a role of that name is already in that circle");
                    else
                    {
                        inner.Add(draft);
                        if (kind == "circle") circles[Child(path, name)] = draft;
                    }
                    break;
                case "accountability" or "domain":
                    if ((roles.GetValueOrDefault(Child(path, name)) ?? Skip($"no role or circle '{name}' in '{path}' above this line")) is not { } holder) break;
                    if (value.Length == 0) Skip("the text is empty");
                    else if (kind == "accountability") holder.Accountabilities.Add(value);
                    else
                    {
                        holder.Domains.Add(value);
                        if (row["key"].Length > 0) map[DerivedDomainKeys.From([anchor.Name, .. path.Split('/', StringSplitOptions.RemoveEmptyEntries)], value)] = row["key"];
                    }
                    break;
                case "policy" when In() is { } circle:
                    circle.Policies.Add(new SourcePolicy($"{Prefix}:policy:{Child(path, name)}", name, value));
                    break;
                case "person":
                    people.Add(new SourcePerson(PersonId(row["email"]), name.Length > 0 ? name : row["email"], row["email"]));
                    break;
                case "assignment":
                    if (roles.GetValueOrDefault(Child(path, name)) is not { } filled) Skip($"no role or circle '{name}' in '{path}' above this line");
                    else assignments.Add(new SourceAssignment(filled.ExternalId, PersonId(row["email"]), Blank(row["focus"])));
                    break;
                case "election" when In() is { } circle:
                    var elected = ElectedRoles.All.FirstOrDefault(e => string.Equals(e, name.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
                    DateTimeOffset? term = DateTimeOffset.TryParse(row["termEnds"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                    if (elected is null) Skip($"'{name}' is not an elected role: use {string.Join(", ", ElectedRoles.All)}");
                    else assignments.Add(new SourceAssignment(circle.ExternalId, PersonId(row["email"]), null, elected, term));
                    break;
                case "circle" or "role" or "policy" or "election":
                    break; // its circle was reported missing
                default:
                    Skip($"unknown kind: use {string.Join(", ", "anchor circle role accountability domain policy person assignment election".Split(' '))}");
                    break;
            }
        }
        var known = people.Select(p => p.ExternalId).ToHashSet();
        foreach (var a in assignments.Where(a => !known.Contains(a.PersonExternalId)))
        {
            skipped.Add(new($"assignment of {a.PersonExternalId} to {a.RoleExternalId}", "no 'person' row has that e-mail"));
        }
        return (new ImportSource(anchor.ToSource(), people, [.. assignments.Where(a => known.Contains(a.PersonExternalId))], skipped), map, null);
    }

    private static string PersonId(string email) => $"{Prefix}:person:{email.Trim().ToLowerInvariant()}";

    private static string? Blank(string text) => text.Length == 0 ? null : text;
}
