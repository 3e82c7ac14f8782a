using Governance.Infrastructure;

namespace Governance.Import;

/// <summary>
/// What one import takes. Anyone who may found an organisation may import, and a dry run writes
/// nothing, so a body is judged against these before any work that grows with it: 16 MiB of ids can
/// chain ~100k circles or name ~100k roles, far past any organisation, and each circle is one
/// governance output. Walked without recursion, so no depth can exhaust the stack. Pure.
/// </summary>
public static class ImportLimits
{
    /// <summary>Circles inside circles below the Anchor Circle (the Anchor Circle's own circles are level 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>Roles and circles, the Anchor Circle not counted.</summary>
    public const int MaxRoles = 10_000;

    public const int MaxPeople = 10_000;

    public const int MaxAssignments = 50_000;

    public const int MaxPolicies = 10_000;

    /// <summary>Domains of all roles together: a circle's roles' domains are judged against the circle's own.</summary>
    public const int MaxDomains = 10_000;

    public const int MaxAccountabilities = 50_000;

    /// <summary>The limit the source goes past (422), or null.</summary>
    public static Problem? Check(ImportSource source)
    {
        if (source.People.Count > MaxPeople) return Exceeded($"The source names {source.People.Count} people; an import takes at most {MaxPeople}.");
        if (source.Assignments.Count > MaxAssignments) return Exceeded($"The source names {source.Assignments.Count} assignments; an import takes at most {MaxAssignments}.");
        var (roles, policies, domains, accountabilities) = (0, 0, 0, 0);
        var stack = new Stack<(SourceCircle Circle, int Depth)>();
        if (source.Anchor.Circle is { } anchor) stack.Push((anchor, 0));
        while (stack.TryPop(out var next))
        {
            if (next.Depth > MaxDepth) return Exceeded($"The source nests circles {MaxDepth + 1} or more levels below the Anchor Circle; an import takes at most {MaxDepth} levels.");
            roles += next.Circle.Roles.Count;
            policies += next.Circle.Policies.Count;
            if (roles > MaxRoles) return Exceeded($"The source names more than {MaxRoles} roles and circles; an import takes at most {MaxRoles}.");
            if (policies > MaxPolicies) return Exceeded($"The source names more than {MaxPolicies} policies; an import takes at most {MaxPolicies}.");
            foreach (var role in next.Circle.Roles)
            {
                domains += role.Domains.Count;
                accountabilities += role.Accountabilities.Count;
                if (role.Circle is { } inner) stack.Push((inner, next.Depth + 1));
            }
            if (domains > MaxDomains) return Exceeded($"The source names more than {MaxDomains} domains; an import takes at most {MaxDomains}.");
            if (accountabilities > MaxAccountabilities) return Exceeded($"The source names more than {MaxAccountabilities} accountabilities; an import takes at most {MaxAccountabilities}.");
        }
        return null;
    }

    private static Problem Exceeded(string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "import-too-large", "The import is larger than the service takes.", detail);
}
