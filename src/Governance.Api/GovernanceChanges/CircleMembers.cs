using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

/// <summary>
/// §5.1: the Circle Members are the circle's Circle Lead(s), the fillers of its roles, and the
/// Circle Reps elected by its sub-circles. Only they take part in its governance.
/// </summary>
public static class CircleMembers
{
    public static bool IsMember(CircleSnapshot circle, Guid personId) =>
        circle.Circle.FillerIds.Contains(personId)
        || circle.Roles.Any(r => r.FillerIds.Contains(personId))
        || circle.InnerRoles.Values.SelectMany(inner => inner)
            .Any(r => r.ElectedRole == ElectedRoles.CircleRep && r.FillerIds.Contains(personId));

    public static Problem? RequireMember(CircleSnapshot circle, Guid personId, string asWhat) =>
        IsMember(circle, personId)
            ? null
            : Problem.Violation("not-a-circle-member", "Only Circle Members take part in the circle's governance.",
                $"Person {personId} is not a member of '{circle.Circle.Name}' (its Circle Lead, a filler of one of its roles, or a Circle Rep of a sub-circle), so cannot {asWhat}.",
                "§5.1");
}
