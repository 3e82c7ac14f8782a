using Governance.Infrastructure;

namespace Governance.Registry;

/// <summary>The registry's 404 problems: an unknown organisation, role, circle or person. Every read is scoped to one organisation, so ids of another organisation are simply not found.</summary>
public static class Unknown
{
    public static Problem Organisation(Guid orgId) =>
        Problem.NotFound("organisation-not-found", $"There is no organisation {orgId}.");

    public static Problem Role(Guid roleId) =>
        Problem.NotFound("role-not-found", $"The organisation has no role {roleId}.");

    public static Problem Circle(Guid circleId) =>
        Problem.NotFound("circle-not-found", $"The organisation has no circle {circleId}.");

    public static Problem Person(Guid personId) =>
        Problem.NotFound("person-not-found", $"The organisation has no person {personId}.");
}
