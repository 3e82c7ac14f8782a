using System.Text.Json;
using Governance.Audit;
using Governance.Registry;
using Governance.Roles;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Web.Pages.Orgs;

/// <summary>A role: purpose, domains, accountabilities, policies, fillers (with elected terms), the roles inside a circle, and its history for those who may read it.</summary>
public sealed class RoleModel(LiveRegistry registry, IQuerySession session) : OrgPageModel(registry)
{
    [FromRoute(Name = "roleId")]
    public Guid RoleId { get; set; }

    public RoleResponse? Role { get; private set; }

    /// <summary>The circle's own view when the role is a circle (its roles, rulings).</summary>
    public CircleResponse? Circle { get; private set; }

    /// <summary>The circle the role is in.</summary>
    public RoleResponse? Parent { get; private set; }

    /// <summary>Its history up to the instant shown (admins and audit keys only, as in the API).</summary>
    public IReadOnlyList<HistoryEntry>? History { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!await BeginAsync(ct)) return;
        Role = Take(await ReadingRoles.GetRole(OrgId, RoleId, AsOf, Registry, ct));
        if (Role is null) return;
        if (Role.IsCircle) Circle = Take(await ReadingRoles.GetCircle(OrgId, RoleId, AsOf, Registry, ct));
        if (Role.CircleId is { } parent) Parent = Take(await ReadingRoles.GetRole(OrgId, parent, AsOf, Registry, ct));
        if (MayAudit && (await RoleHistory.Get(OrgId, RoleId, session, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<List<HistoryEntry>> history)
        {
            History = [.. history.Value!.Where(e => Instant is not { } at || e.Timestamp <= at).Reverse()];
        }
    }

    /// <summary>"role_renamed" as "Role renamed".</summary>
    public static string Describe(string type) => type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..].Replace('_', ' ');

    /// <summary>The one or two facts of an event a reader needs (a name, a text, a key, a person).</summary>
    public string Summary(HistoryEntry entry)
    {
        var parts = new List<string>();
        foreach (var name in (string[])["name", "purpose", "text", "key", "title", "focus", "question", "ruling", "reason"])
        {
            if (entry.Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            {
                parts.Add(text.Length > 120 ? text[..120] + "…" : text);
            }
        }
        if (entry.Data.TryGetProperty("personId", out var person) && person.ValueKind == JsonValueKind.String && Guid.TryParse(person.GetString(), out var personId))
        {
            parts.Add(PersonName(personId));
        }
        return string.Join(" · ", parts);
    }

    private string PersonName(Guid personId) => Role?.Fillers.FirstOrDefault(f => f.PersonId == personId)?.Name ?? "a person";
}
