using System.Globalization;
using System.Text.Json;

namespace Governance.Import;

/// <summary>
/// Reads a GlassFrog API v3 document (its list responses' top-level arrays and their <c>linked</c>
/// objects merged into one object) into an <see cref="ImportSource"/>. Pure: no I/O. GlassFrog
/// links items by id: a circle names its supporting role (<c>links.supported_role</c>), a role its
/// circle and the circle it supports (<c>links.circle</c>, <c>links.supporting_circle</c>), its
/// domains, accountabilities and people; an item may also come embedded where its id would be. An id
/// that names nothing in the document is reported as skipped, never fatal.
/// </summary>
public static class GlassFrogDocument
{
    public const string Prefix = "glassfrog";

    /// <summary>The document read, or why it cannot be (not a JSON object, no circles).</summary>
    public static (ImportSource? Source, string? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, "A GlassFrog document is a JSON object with arrays such as circles, roles, people and linked.");
        var items = new Items(root);
        if (items.Circles.Count == 0) return (null, "The document has no circles: send GlassFrog's circles with their roles (GET /circles, /roles, /people, /assignments merged).");
        return new GlassFrogReader(items).Read();
    }

    /// <summary>GlassFrog ids are numbers; written as text they key every lookup.</summary>
    internal static string? IdOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Object when e.TryGetProperty("id", out var id) => IdOf(id),
        _ => null,
    };

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim() : null;

    internal static JsonElement? Link(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        if (e.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object && links.TryGetProperty(name, out var linked)) return linked;
        return e.TryGetProperty(name, out var direct) && direct.ValueKind is JsonValueKind.Array or JsonValueKind.Object ? direct : null;
    }

    internal static IEnumerable<JsonElement> Many(JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : e is { ValueKind: JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Object } one ? [one] : [];

    internal static DateTimeOffset? DateOf(JsonElement e, string name) =>
        Text(e, name) is { Length: > 0 } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>Every item of the document by kind and id: the top-level arrays first, then <c>linked</c>.</summary>
    internal sealed class Items
    {
        public Items(JsonElement root)
        {
            foreach (var source in new[] { root, root.TryGetProperty("linked", out var linked) && linked.ValueKind == JsonValueKind.Object ? linked : default })
            {
                if (source.ValueKind != JsonValueKind.Object) continue;
                foreach (var (kind, into) in Kinds)
                {
                    if (!source.TryGetProperty(kind, out var array) || array.ValueKind != JsonValueKind.Array) continue;
                    foreach (var item in array.EnumerateArray())
                    {
                        if (IdOf(item) is { } id && item.ValueKind == JsonValueKind.Object) into(this).TryAdd(id, item);
                    }
                }
            }
        }

        private static readonly (string Kind, Func<Items, Dictionary<string, JsonElement>> Into)[] Kinds =
        [
            ("circles", i => i.Circles), ("roles", i => i.Roles), ("people", i => i.People), ("members", i => i.People),
            ("assignments", i => i.Assignments), ("policies", i => i.Policies), ("domains", i => i.Domains),
            ("accountabilities", i => i.Accountabilities),
        ];

        public Dictionary<string, JsonElement> Circles { get; } = [];
        public Dictionary<string, JsonElement> Roles { get; } = [];
        public Dictionary<string, JsonElement> People { get; } = [];
        public Dictionary<string, JsonElement> Assignments { get; } = [];
        public Dictionary<string, JsonElement> Policies { get; } = [];
        public Dictionary<string, JsonElement> Domains { get; } = [];
        public Dictionary<string, JsonElement> Accountabilities { get; } = [];
    }
}
