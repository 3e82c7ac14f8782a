using Governance.GovernanceChanges;
using Governance.Infrastructure;

namespace Governance.Proposals;

/// <summary>
/// How long Circle Members get to respond to an asynchronous proposal: a deadline in the future, at
/// most a year away, and no sooner than the circle's policies require (a policy with
/// <c>minimumResponseHours</c>: the longest of them applies).
/// </summary>
public static class ResponseWindow
{
    public static Problem? Check(DateTimeOffset respondBy, DateTimeOffset now, CircleSnapshot circle)
    {
        if (respondBy <= now)
        {
            return Problem.BadRequest("invalid-respond-by", $"respondBy ({respondBy:O}) has passed; give the Circle Members an instant in the future.");
        }
        if (respondBy > now.AddHours(GovernanceRules.MaxResponseHours))
        {
            return Problem.BadRequest("invalid-respond-by", "respondBy is at most a year away.");
        }
        var required = circle.Circle.Policies.Where(p => p.MinimumResponseHours is > 0).MaxBy(p => p.MinimumResponseHours);
        if (required is not null && respondBy < now.AddHours(required.MinimumResponseHours!.Value))
        {
            return Problem.Violation("response-window-too-short", "The circle's policy gives its members longer to respond.",
                $"Policy '{required.Title}' of '{circle.Circle.Name}' gives Circle Members at least {required.MinimumResponseHours} hour(s) to respond; set respondBy no earlier than {now.AddHours(required.MinimumResponseHours.Value):O}.",
                "§5.2");
        }
        return null;
    }
}
