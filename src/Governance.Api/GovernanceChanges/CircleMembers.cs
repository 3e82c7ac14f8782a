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

    /// <summary>Every Circle Member (§5.1): the circle's Circle Lead(s), its roles' fillers and its sub-circles' Circle Reps.</summary>
    public static IReadOnlySet<Guid> All(CircleSnapshot circle) =>
        circle.Circle.FillerIds
            .Concat(circle.Roles.SelectMany(r => r.FillerIds))
            .Concat(circle.InnerRoles.Values.SelectMany(inner => inner).Where(r => r.ElectedRole == ElectedRoles.CircleRep).SelectMany(r => r.FillerIds))
            .ToHashSet();

    public static Problem? RequireMember(CircleSnapshot circle, Guid personId, string asWhat) =>
        IsMember(circle, personId)
            ? null
            : Problem.Violation("not-a-circle-member", "Only Circle Members take part in the circle's governance.",
                $"Person {personId} is not a member of '{circle.Circle.Name}' (its Circle Lead, a filler of one of its roles, or a Circle Rep of a sub-circle), so cannot {asWhat}.",
                "§5.1");
}
