using Governance.GovernanceChanges;
using Governance.Roles;

namespace Governance.Tests.Rules;

/// <summary>In-memory roles for the pure rule tests: an anchor circle and helpers to add roles under it.</summary>
internal sealed class RoleTree
{
    public Guid OrgId { get; } = Guid.NewGuid();
    public Dictionary<Guid, Role> Roles { get; } = [];
    public Role Anchor { get; }

    public RoleTree()
    {
        Anchor = Add(new Role { Name = "Anchor", IsCircle = true });
        Add(new Role { Name = GovernanceRules.CircleLeadName, IsCircleLead = true, CircleId = Anchor.Id });
    }

    public Role Add(Role role)
    {
        role = role with { Id = role.Id == Guid.Empty ? Guid.NewGuid() : role.Id, OrgId = OrgId };
        Roles[role.Id] = role;
        return role;
    }

    public Role Circle(Role parent, string name, params string[] keys)
    {
        var circle = Add(new Role { Name = name, IsCircle = true, CircleId = parent.Id, Domains = Held(keys) });
        var lead = Add(new Role { Name = GovernanceRules.CircleLeadName, IsCircleLead = true, CircleId = circle.Id });
        return Roles[circle.Id] = circle with { CircleLeadRoleId = lead.Id };
    }

    public Role Role(Role circle, string name, params string[] keys) =>
        Add(new Role { Name = name, CircleId = circle.Id, Domains = Held(keys) });

    public Role Fill(Role role, params Guid[] people) =>
        Roles[role.Id] = Roles[role.Id].WithFillers([.. people.Select(p => new Filler(p, null))]);

    public CircleSnapshot Snapshot(Role circle)
    {
        var inside = Roles.Values.Where(r => r.CircleId == circle.Id).ToList();
        var inner = inside.Where(r => r.IsCircle)
            .ToDictionary(c => c.Id, c => (IReadOnlyList<Role>)[.. Roles.Values.Where(r => r.CircleId == c.Id)]);
        return new CircleSnapshot(Roles[circle.Id], inside, inner);
    }

    public IReadOnlyList<DomainHolding> Holdings() =>
        [.. Roles.Values.SelectMany(DomainHolding.Of)];

    private static IReadOnlyList<HeldDomain> Held(string[] keys) => [.. keys.Select(k => new HeldDomain(k, k, []))];
}
