using System.Text.Json;
using Governance.Registry;

namespace Governance.Web.Pages.Orgs;

/// <summary>One circle or role of the chart: a link, its fillers, and a circle's roles.</summary>
public sealed record ChartNode(Guid Id, string Name, bool Circle, string Fillers, string Href, IReadOnlyList<ChartNode> Children);

/// <summary>The organisation at a glance: its circles as nested shapes (circle packing) and the same tree as a list.</summary>
public sealed class ChartModel(LiveRegistry registry) : OrgPageModel(registry)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ChartNode? Root { get; private set; }

    public int RoleCount { get; private set; }

    /// <summary>The tree for the drawing script (System.Text.Json escapes &lt; and &gt;, so it is safe inside a script element).</summary>
    public string RootJson => JsonSerializer.Serialize(Root, Json);

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!await BeginAsync(ct)) return;
        var anchor = Organisation!.AnchorCircleId;
        Root = await Registry.ReadAsync(OrgId, Instant, snapshot => snapshot is null ? null : NodeOf(snapshot, anchor, 0), ct);
        RoleCount = Count(Root) - 1;
    }

    private ChartNode? NodeOf(IRegistrySnapshot snapshot, Guid roleId, int depth)
    {
        if (!snapshot.Roles.TryGetValue(roleId, out var role)) return null;
        // The Circle Lead role is the circle's filler: shown as the circle's, not as a shape of its own.
        var children = role.IsCircle && depth < 32
            ? snapshot.RolesIn(role.Id).Where(r => !r.IsCircleLead).OrderByDescending(r => r.IsCircle).ThenBy(r => r, Roles.Role.ByName)
                .Select(r => NodeOf(snapshot, r.Id, depth + 1)).OfType<ChartNode>().ToList()
            : [];
        var fillers = string.Join(", ", role.FillerIds.Select(id => snapshot.People.GetValueOrDefault(id)?.Name).OfType<string>());
        return new ChartNode(role.Id, role.Name, role.IsCircle, fillers, Href($"/roles/{role.Id}"), children);
    }

    private static int Count(ChartNode? node) => node is null ? 0 : 1 + node.Children.Sum(Count);
}
