using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

public static partial class GovernanceRules
{
    /// <summary>The circle's policies (§1.1, §5.2), with structured grants of authority (§4.1.3).</summary>
    private sealed partial class Batch
    {
        public Problem? AddPolicy(AddPolicy c)
        {
            if (CheckPolicy(c.Policy) is { } bad) return bad;
            var id = newId();
            var policy = c.Policy;
            Emit(CircleId, new PolicyAdopted(id, CircleId, Circle.OrgId, policy.Title.Trim(), policy.Text.Trim(), policy.DomainKey, Grants(policy), policy.MinimumResponseHours));
            Results.Add(new ChangeResult("addPolicy", null, id));
            return null;
        }

        public Problem? AmendPolicy(AmendPolicy c)
        {
            if (FindPolicy(c.PolicyId) is { } missing) return missing;
            if (CheckPolicy(c.Policy) is { } bad) return bad;
            var policy = c.Policy;
            Emit(CircleId, new PolicyAmended(c.PolicyId, CircleId, policy.Title.Trim(), policy.Text.Trim(), policy.DomainKey, Grants(policy), policy.MinimumResponseHours));
            Results.Add(new ChangeResult("amendPolicy", null, c.PolicyId));
            return null;
        }

        public Problem? RemovePolicy(RemovePolicy c)
        {
            if (FindPolicy(c.PolicyId) is { } missing) return missing;
            Emit(CircleId, new PolicyRemoved(c.PolicyId, CircleId));
            Results.Add(new ChangeResult("removePolicy", null, c.PolicyId));
            return null;
        }

        private Problem? FindPolicy(Guid policyId) =>
            Circle.Policies.Any(p => p.Id == policyId)
                ? null
                : Problem.NotFound("policy-not-found", $"Circle '{Circle.Name}' has no policy {policyId}.");

        private static IReadOnlyList<PolicyGrant> Grants(PolicyInput policy) =>
            [.. (policy.Grants ?? []).Select(g => new PolicyGrant(g.RoleId, g.MaxAmount, g.Currency?.Trim().ToUpperInvariant()))];

        private Problem? CheckPolicy(PolicyInput? policy)
        {
            if (policy is null) return Problem.BadRequest("invalid-change", "The change needs a 'policy'.");
            if (string.IsNullOrWhiteSpace(policy.Title) || policy.Title.Trim().Length > MaxNameLength)
            {
                return Problem.BadRequest("invalid-policy-title", $"A policy needs a title of 1 to {MaxNameLength} characters.");
            }
            if (CheckText(policy.Text, "policy-text", required: true) is { } badText) return badText;
            if (policy.DomainKey is { } key)
            {
                if (!DomainKey.IsValid(key))
                {
                    return Problem.BadRequest("invalid-domain-key", $"Domain key '{key}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/'.");
                }
                // §1.3.2: a circle regulates only what lies within its own domains.
                if (!Circle.IsAnchorCircle && !Circle.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
                {
                    return Problem.Violation("policy-domain-outside-circle", "The policy's domain is not the circle's.",
                        $"Circle '{Circle.Name}' does not hold '{key}', so its policies cannot regulate it.", "§1.3.2");
                }
            }
            if (policy.MinimumResponseHours is < 0 or > MaxResponseHours)
            {
                return Problem.BadRequest("invalid-response-window", $"minimumResponseHours is 0 to {MaxResponseHours} (a year).");
            }
            var grants = policy.Grants ?? [];
            if (grants.Count > 20) return Problem.BadRequest("invalid-grants", "A policy takes at most 20 grants.");
            foreach (var grant in grants)
            {
                if (grant is null) return Problem.BadRequest("invalid-grants", "A grant must be an object with a 'roleId'.");
                if (!IsWithinCircle(grant.RoleId))
                {
                    return Problem.Violation("grant-outside-circle", "A policy can only grant to roles within the circle.",
                        $"Role {grant.RoleId} is neither a role of '{Circle.Name}' nor inside one of its sub-circles.", "§5.2");
                }
                if (grant.MaxAmount is { } max && (max < 0 || string.IsNullOrWhiteSpace(grant.Currency)))
                {
                    return Problem.BadRequest("invalid-grant-limit", "A grant's maxAmount must be zero or more and comes with a currency.");
                }
                if (Problem.InvalidCurrency(grant.Currency) is { } badCurrency) return badCurrency;
            }
            return null;
        }

        private bool IsWithinCircle(Guid roleId) =>
            (roleId != CircleId && _roles.ContainsKey(roleId)) || (snapshot.DeeperRoles?.Contains(roleId) ?? false);
    }
}
