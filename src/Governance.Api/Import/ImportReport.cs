using System.Text.Json.Serialization;

namespace Governance.Import;

public sealed record ImportCounts(int Circles, int Roles, int People, int Assignments, int Policies);

/// <summary>A domain's free text (with its circle path) and the key it got.</summary>
public sealed record DerivedKey(string From, string Key);

/// <summary>What an import created, updated (items that existed and differed), left out and why, and the domain keys it derived.</summary>
public sealed record ImportReport(ImportCounts Created, ImportCounts Updated, IReadOnlyList<SkippedItem> Skipped, IReadOnlyList<DerivedKey> DomainKeys);

/// <summary>The organisation imported into (no <c>id</c> on a dry run; no <c>anchorCircleId</c> when a dry run would found one).</summary>
public sealed record ImportResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? AnchorCircleId,
    ImportReport Report);

/// <summary>The report as an import fills it in.</summary>
public sealed class ImportTally
{
    public static readonly string[] Kinds = ["circles", "roles", "people", "assignments", "policies"];

    private readonly Dictionary<string, int> _created = Kinds.ToDictionary(k => k, _ => 0);
    private readonly Dictionary<string, HashSet<string>> _updated = Kinds.ToDictionary(k => k, _ => new HashSet<string>());
    private readonly Dictionary<string, string> _keys = [];

    public List<SkippedItem> Skipped { get; } = [];

    public void Created(string kind) => _created[kind]++;

    /// <summary>An item that existed and changed; counted once however many of its details changed.</summary>
    public void Updated(string kind, string item) => _updated[kind].Add(item);

    public void Skip(string item, string reason) => Skipped.Add(new SkippedItem(item, reason));

    public void Key(string from, string key) => _keys.TryAdd(from, key);

    public ImportReport ToReport() => new(Counts(k => _created[k]), Counts(k => _updated[k].Count), Skipped, [.. _keys.Select(k => new DerivedKey(k.Key, k.Value))]);

    private static ImportCounts Counts(Func<string, int> of) => new(of("circles"), of("roles"), of("people"), of("assignments"), of("policies"));
}
