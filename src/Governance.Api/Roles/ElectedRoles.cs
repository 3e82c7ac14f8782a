namespace Governance.Roles;

/// <summary>The core roles filled only by the Integrative Election Process (§1.3.5, §5.1.1, §5.1.2, §5.3.5).</summary>
public static class ElectedRoles
{
    public const string Facilitator = "Facilitator";
    public const string Secretary = "Secretary";
    public const string CircleRep = "CircleRep";

    public static readonly IReadOnlyList<string> All = [Facilitator, Secretary, CircleRep];

    /// <summary>Each circle has at most one role per elected role; its id follows from the circle's.</summary>
    public static Guid RoleIdOf(Guid circleId, string electedRole) => Infrastructure.NameBasedId.Of(circleId, "elected:" + electedRole);

    public static string DisplayName(string electedRole) => electedRole == CircleRep ? "Circle Rep" : electedRole;

    public static string Purpose(string electedRole) => electedRole switch
    {
        Facilitator => "Circle governance and operational practices aligned with the Constitution.",
        Secretary => "Steward and stabilise the circle's formal records and record-keeping process.",
        _ => "Tensions relevant to process in the super-circle channelled out and resolved.",
    };
}
