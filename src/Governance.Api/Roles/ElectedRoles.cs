namespace Governance.Roles;

/// <summary>
/// The core roles filled only by the Integrative Election Process (§1.3.5, §5.1.1, §5.1.2, §5.3.5),
/// with the purposes and accountabilities Holacracy Constitution v5.0 places on them, word for word
/// (its sentences "X is accountable for doing Y" become the accountability "Doing Y"; "its" is
/// "the Circle's"). The Secretary's Domain over the circle's governance records (§5.1.2) is not a
/// registry domain: docs/decisions.md "Core role texts".
/// </summary>
public static class ElectedRoles
{
    public const string Facilitator = "Facilitator";
    public const string Secretary = "Secretary";
    public const string CircleRep = "CircleRep";

    public static readonly IReadOnlyList<string> All = [Facilitator, Secretary, CircleRep];

    /// <summary>Each circle has at most one role per elected role; its id follows from the circle's.</summary>
    public static Guid RoleIdOf(Guid circleId, string electedRole) => Infrastructure.NameBasedId.Of(circleId, "elected:" + electedRole);

    public static string DisplayName(string electedRole) => electedRole == CircleRep ? "Circle Rep" : electedRole;

    /// <summary>The section that defines the role: §5.1.1 for the Circle Rep, §1.3.5 for the Facilitator and the Secretary.</summary>
    public static string Section(string? electedRole) => electedRole == CircleRep ? "§5.1.1" : "§1.3.5";

    /// <summary>The purpose the constitution gives the role (§1.3.5, §5.1.1); no circle amends it.</summary>
    public static string Purpose(string electedRole) => electedRole switch
    {
        Facilitator => "Circle governance and operational practices aligned with the Constitution",
        Secretary => "Stabilize the Circle\u2019s constitutionally-required records and meetings",
        _ => "Tensions relevant to process in a broader Circle channeled out and resolved",
    };

    /// <summary>The accountabilities the constitution places on the role; no circle amends or removes them (§1.3.5, §5.1.1).</summary>
    public static IReadOnlyList<string> Accountabilities(string electedRole) => electedRole switch
    {
        Facilitator =>
        [
            "Facilitating the Circle's Governance Process", // §5.1.2
            "Facilitating the Circle's regular Tactical Meetings", // §3.2
            "Triggering new elections for the Circle's elected Roles after each election term expires", // §5.3.5
            "Auditing a Sub-Circle's meetings and records on request and declaring a Process Breakdown if one is discovered", // §5.5
        ],
        Secretary =>
        [
            "Capturing and publishing the outputs of the Circle's Governance Process", // §5.1.2
            "Scheduling the Circle's Governance Meetings", // §5.4
            "Scheduling regular Tactical Meetings for the Circle", // Article 3
            "Capturing and publishing Tactical Meeting outputs", // §3.2
            "Interpreting the Constitution and anything under its authority upon request", // §4.2.1
        ],
        _ =>
        [
            "Seeking to understand Tensions conveyed by Role Leads within the Circle", // §5.1.1(a)
            "Discerning Tensions appropriate to process within a broader Circle that holds the Circle", // §5.1.1(b)
            "Processing Tensions within a broader Circle to remove constraints on the Circle", // §5.1.1(c)
        ],
    };

    /// <summary>Whether the constitution placed this accountability on the role (so governance may not remove it).</summary>
    public static bool IsPlacedByConstitution(Role role, string accountability) =>
        role.ElectedRole is { } elected && Accountabilities(elected).Contains(accountability);

    /// <summary>The purposes earlier versions of this service created the elected roles with (not the constitution's words).</summary>
    private static string? EarlierPurpose(string electedRole) => electedRole switch
    {
        Facilitator => "Circle governance and operational practices aligned with the Constitution.",
        Secretary => "Steward and stabilise the circle's formal records and record-keeping process.",
        CircleRep => "Tensions relevant to process in the super-circle channelled out and resolved.",
        _ => null,
    };

    /// <summary>
    /// The events that bring an elected role created by an earlier version of the service up to the
    /// constitution's text: its purpose, if it is still the one the service gave it, and the
    /// accountabilities the constitution places on it that it lacks. Nothing for a role that has them.
    /// New facts, never a rewrite: the role's first events keep the words it was created with.
    /// </summary>
    public static IReadOnlyList<IRoleEvent> ConstitutionTextUpdates(Role role)
    {
        if (role.ElectedRole is not { } elected) return [];
        var updates = new List<IRoleEvent>();
        if (role.Purpose == EarlierPurpose(elected)) updates.Add(new RolePurposeChanged(role.Id, Purpose(elected)));
        updates.AddRange(Accountabilities(elected).Where(a => !role.Accountabilities.Contains(a)).Select(a => new AccountabilityAdded(role.Id, a)));
        return updates;
    }
}
