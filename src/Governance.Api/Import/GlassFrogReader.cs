using System.Text.Json;
using Governance.Roles;
using static Governance.Import.GlassFrogDocument;

namespace Governance.Import;

/// <summary>
/// Walks a GlassFrog document from its Anchor Circle down (see <see cref="GlassFrogDocument"/>). A
/// circle and the role that supports it in its super-circle have two ids in GlassFrog and are one
/// circle here, known by the circle's id. The core roles are the constitution's: whoever fills a
/// circle's Lead Link fills the circle's role in its super-circle (§1.4); the Facilitator,
/// Secretary and Rep Link fillers become elections for their term (§5.3.5).
/// </summary>
internal sealed class GlassFrogReader(Items items)
{
    private readonly List<SkippedItem> _skipped = [];
    private readonly Dictionary<string, string> _circleSupportedBy = [];
    private readonly Dictionary<string, List<string>> _rolesOf = [];
    private readonly Dictionary<string, (string Target, string? Elected, DateTimeOffset? Term)> _targets = [];
    private readonly HashSet<string> _visited = [];
    private readonly HashSet<(string Circle, string Role)> _listed = [];
    private Dictionary<string, List<JsonElement>>? _policiesByCircle;

    public (ImportSource? Source, string? Error) Read()
    {
        foreach (var (id, circle) in items.Circles)
        {
            if (Link(circle, "supported_role") is { } supported && IdOf(supported) is { } roleId)
            {
                if (supported.ValueKind == JsonValueKind.Object) items.Roles.TryAdd(roleId, supported);
                _circleSupportedBy.TryAdd(roleId, id);
            }
            foreach (var role in Many(Link(circle, "roles")))
            {
                if (IdOf(role) is not { } rid) continue;
                if (role.ValueKind == JsonValueKind.Object) items.Roles.TryAdd(rid, role);
                if (items.Roles.ContainsKey(rid)) AddRole(id, rid);
                else _skipped.Add(new($"role {rid} of circle '{Text(circle, "name")}'", "not in the document (neither in roles nor in linked.roles)"));
            }
        }
        foreach (var (rid, role) in items.Roles)
        {
            if (Link(role, "circle") is { } c && IdOf(c) is { } circleId && items.Circles.ContainsKey(circleId)) AddRole(circleId, rid);
            if (Link(role, "supporting_circle") is { } s && IdOf(s) is { } supports && items.Circles.ContainsKey(supports)) _circleSupportedBy.TryAdd(rid, supports);
        }

        // A circle is inside another when its supporting role is one of that circle's roles.
        var inner = _rolesOf.SelectMany(r => r.Value.Select(role => _circleSupportedBy.GetValueOrDefault(role)).Where(c => c is not null && c != r.Key)).ToHashSet();
        var anchors = items.Circles.Keys.Where(c => !inner.Contains(c)).ToList();
        if (anchors.Count == 0) return (null, "No circle of the document is outside every other: it has no Anchor Circle.");
        foreach (var other in anchors.Skip(1)) _skipped.Add(new($"circle {other} '{Text(items.Circles[other], "name")}'", "not inside the Anchor Circle (the first circle outside every other)"));

        var anchorId = anchors[0];
        var anchorCircle = items.Circles[anchorId];
        var anchorRole = _circleSupportedBy.FirstOrDefault(p => p.Value == anchorId).Key is { } sr ? items.Roles.GetValueOrDefault(sr) : default;
        var anchor = new SourceRole($"{Prefix}:circle:{anchorId}", Text(anchorCircle, "name") ?? Text(anchorRole, "name") ?? "Anchor Circle",
            Text(anchorRole, "purpose") ?? Text(anchorCircle, "purpose"), [], [], CircleOf(anchorId, isAnchor: true));
        return (new ImportSource(anchor, People(), Assignments(), _skipped), null);
    }

    private void AddRole(string circleId, string roleId)
    {
        if (!_listed.Add((circleId, roleId))) return;
        (_rolesOf.TryGetValue(circleId, out var list) ? list : _rolesOf[circleId] = []).Add(roleId);
    }

    /// <summary>A circle being read: its roles so far, the next of its role ids, and the role whose own circle is being read.</summary>
    private sealed class Frame(string circleId, bool isAnchor, string name, List<string> roleIds)
    {
        public string CircleId { get; } = circleId;
        public bool IsAnchor { get; } = isAnchor;
        public string Name { get; } = name;
        public List<string> RoleIds { get; } = roleIds;
        public int Next { get; set; }
        public List<SourceRole> Roles { get; } = [];
        public SourceRole? Waiting { get; set; }
    }

    /// <summary>
    /// The circle and everything inside it, depth first in the document's order, on a stack of its
    /// own rather than the call stack: a document may chain circles deeper than any thread's stack
    /// (ImportLimits refuses such a source once it is read).
    /// </summary>
    private SourceCircle CircleOf(string circleId, bool isAnchor)
    {
        var stack = new Stack<Frame>();
        Frame Open(string id, bool anchor)
        {
            _visited.Add(id);
            return new Frame(id, anchor, Text(items.Circles[id], "name") ?? id, _rolesOf.GetValueOrDefault(id) ?? []);
        }
        stack.Push(Open(circleId, isAnchor));
        while (true)
        {
            var frame = stack.Peek();
            if (frame.Next == frame.RoleIds.Count)
            {
                stack.Pop();
                var done = new SourceCircle(frame.Roles, PoliciesOf(frame.CircleId, frame.Name));
                if (!stack.TryPeek(out var parent)) return done;
                parent.Roles.Add(parent.Waiting! with { Circle = done });
                parent.Waiting = null;
                continue;
            }
            var roleId = frame.RoleIds[frame.Next++];
            var role = items.Roles[roleId];
            if (_circleSupportedBy.GetValueOrDefault(roleId) == frame.CircleId) continue; // the circle's own role, in its super-circle
            if (CoreKind(role) is { } core)
            {
                _targets[roleId] = core == "Lead"
                    ? (frame.IsAnchor ? "" : $"{Prefix}:circle:{frame.CircleId}", (string?)null, (DateTimeOffset?)null)
                    : ($"{Prefix}:circle:{frame.CircleId}", core, DateOf(role, "elected_until"));
                continue;
            }
            var sub = _circleSupportedBy.GetValueOrDefault(roleId) is { } subId && _visited.Add(subId) ? subId : null;
            var externalId = sub is null ? $"{Prefix}:role:{roleId}" : $"{Prefix}:circle:{sub}";
            _targets[roleId] = (externalId, null, null);
            var what = $"role {roleId} '{Text(role, "name")}' in '{frame.Name}'";
            var read = new SourceRole(externalId, Text(role, "name") ?? "", Text(role, "purpose"),
                Texts(role, "accountabilities", items.Accountabilities, what), Texts(role, "domains", items.Domains, what));
            if (sub is null)
            {
                frame.Roles.Add(read);
                continue;
            }
            frame.Waiting = read;
            stack.Push(Open(sub, anchor: false));
        }
    }

    private List<SourcePolicy> PoliciesOf(string circleId, string name)
    {
        var linked = Many(Link(items.Circles[circleId], "policies")).Select(p => IdOf(p) is { } id && (p.ValueKind == JsonValueKind.Object ? p : items.Policies.GetValueOrDefault(id)) is { ValueKind: JsonValueKind.Object } found ? found : Missing($"policy {IdOf(p)} of '{name}'"));
        return [.. linked.Concat(PolicyLinks().GetValueOrDefault(circleId) ?? [])
            .Where(p => p.ValueKind == JsonValueKind.Object).DistinctBy(p => IdOf(p))
            .Select(p => new SourcePolicy($"{Prefix}:policy:{IdOf(p)}", Text(p, "title") ?? "", Text(p, "body") ?? Text(p, "text") ?? Text(p, "description") ?? ""))];
    }

    /// <summary>The policies that name their circle (<c>links.circle</c>), by circle: grouped once, not searched for each circle.</summary>
    private Dictionary<string, List<JsonElement>> PolicyLinks() => _policiesByCircle ??= items.Policies.Values
        .Select(p => (Policy: p, Circle: Link(p, "circle") is { } c ? IdOf(c) : null))
        .Where(p => p.Circle is not null).GroupBy(p => p.Circle!).ToDictionary(g => g.Key, g => g.Select(p => p.Policy).ToList());

    private JsonElement Missing(string what)
    {
        _skipped.Add(new(what, "not in the document (neither top-level nor in linked)"));
        return default;
    }

    /// <summary>A role's accountabilities or domains: ids of linked items, embedded items, or plain text.</summary>
    private List<string> Texts(JsonElement role, string kind, Dictionary<string, JsonElement> linked, string what)
    {
        var texts = new List<string>();
        foreach (var item in Many(Link(role, kind)))
        {
            var text = item.ValueKind == JsonValueKind.Object ? Text(item, "description") ?? Text(item, "title")
                : IdOf(item) is { } id && linked.TryGetValue(id, out var found) ? Text(found, "description") ?? Text(found, "title")
                : item.ValueKind == JsonValueKind.String ? item.GetString()?.Trim() : null;
            if (!string.IsNullOrWhiteSpace(text)) texts.Add(text);
            else _skipped.Add(new($"{kind[..^1].Replace("ie", "y", StringComparison.Ordinal)} {IdOf(item)} of {what}", $"not in the document (linked.{kind}) or without a description"));
        }
        return texts;
    }

    /// <summary>The core role a GlassFrog role is, by its type or, without one, by its name.</summary>
    private static string? CoreKind(JsonElement role) => (Text(role, "role_type") ?? Text(role, "name"))?.ToLowerInvariant().Replace(' ', '_') switch
    {
        "lead_link" or "circle_lead" => "Lead",
        "rep_link" or "circle_rep" => ElectedRoles.CircleRep,
        "facilitator" => ElectedRoles.Facilitator,
        "secretary" => ElectedRoles.Secretary,
        _ => null,
    };

    private List<SourcePerson> People()
    {
        var people = new List<SourcePerson>();
        foreach (var (id, person) in items.People)
        {
            if (Text(person, "email") is { Length: > 0 } email) people.Add(new($"{Prefix}:person:{id}", Text(person, "name") ?? email, email));
            else _skipped.Add(new($"person {id} '{Text(person, "name")}'", "no e-mail: people are matched by e-mail"));
        }
        return people;
    }

    /// <summary>Who fills what: the assignments (with focus), and a role's people that no assignment names.</summary>
    private List<SourceAssignment> Assignments()
    {
        var fills = new List<(string Role, string Person, string? Focus, string What)>();
        var named = new HashSet<(string Role, string Person)>();
        foreach (var (id, a) in items.Assignments)
        {
            if (IdOf(Link(a, "role") ?? default) is { } role && IdOf(Link(a, "person") ?? default) is { } person)
            {
                fills.Add((role, person, Text(a, "focus"), $"assignment {id}"));
                named.Add((role, person));
            }
            else _skipped.Add(new($"assignment {id}", "names no role or no person"));
        }
        foreach (var (rid, role) in items.Roles)
        {
            foreach (var person in Many(Link(role, "people")))
            {
                if (IdOf(person) is { } pid && named.Add((rid, pid))) fills.Add((rid, pid, null, $"filler {pid} of role {rid}"));
            }
        }
        var result = new List<SourceAssignment>();
        foreach (var (role, person, focus, what) in fills)
        {
            if (!items.People.ContainsKey(person)) _skipped.Add(new(what, $"person {person} is not in the document (people or linked.people)"));
            else if (!_targets.TryGetValue(role, out var target)) _skipped.Add(new(what, $"role {role} is not in a circle of the document"));
            else if (target.Target.Length == 0) _skipped.Add(new(what, "the Anchor Circle has no Circle Lead (§1.4): its roles are assigned by an admin"));
            else result.Add(new(target.Target, $"{Prefix}:person:{person}", focus, target.Elected, target.Term));
        }
        return result;
    }
}
