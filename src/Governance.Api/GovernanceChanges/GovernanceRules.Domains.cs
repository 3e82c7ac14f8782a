using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

public static partial class GovernanceRules
{
    /// <summary>Granting and taking back domains (§1.1(b), §1.3.2).</summary>
    private sealed partial class Batch
    {
        public Problem? AddDomain(AddDomain c, bool report = true)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (c.Domain is null) return Problem.BadRequest("invalid-change", "addDomain needs a 'domain'.");
            var (key, title) = (c.Domain.Key, c.Domain.Title?.Trim() ?? "");
            if (!DomainKey.IsValid(key))
            {
                return Problem.BadRequest("invalid-domain-key",
                    $"Domain key '{key}' is invalid: use lowercase segments [a-z0-9][a-z0-9-]* joined by '/', at most {DomainKey.MaxLength} characters.");
            }
            if (title.Length is 0 or > MaxNameLength)
            {
                return Problem.BadRequest("invalid-domain-title", $"Domain '{key}' needs a title of 1 to {MaxNameLength} characters.");
            }
            var keywords = (c.Domain.Keywords ?? []).Select(k => k?.Trim() ?? "").ToList();
            if (keywords.Count > 20 || keywords.Any(k => k.Length is 0 or > 100))
            {
                return Problem.BadRequest("invalid-domain-keywords", $"Domain '{key}' takes at most 20 keywords of 1 to 100 characters.");
            }
            // §1.3.2: a circle grants its roles only what lies within its own domains. The Anchor
            // Circle holds every domain the organisation controls (§1.3.3), so it may grant any key.
            if (!Circle.IsAnchorCircle && !Circle.Domains.Any(d => DomainKey.IsWithin(key, d.Key)))
            {
                var held = Circle.Domains.Count == 0 ? "no domains" : string.Join(", ", Circle.Domains.Select(d => d.Key));
                return Problem.Violation("domain-outside-circle", "The domain is not the circle's to grant.",
                    $"Circle '{Circle.Name}' holds {held}; '{key}' is not within them. Have the super-circle grant it to the circle first.",
                    "§1.3.2");
            }
            // §1.1(b): a domain is controlled exclusively, so within a circle no two roles may hold
            // the same or overlapping keys; "who decides" then follows one line of delegation.
            foreach (var other in RolesIn(CircleId))
            {
                if (other.Domains.FirstOrDefault(d => DomainKey.Overlaps(d.Key, key)) is { } clash)
                {
                    var how = clash.Key == key ? "already holds it" : $"holds the overlapping domain '{clash.Key}'";
                    return Problem.Violation("domain-already-held", "The domain is already held in this circle.",
                        $"Role '{other.Name}' {how}; remove it there first or choose a key that does not overlap.",
                        "§1.1(b)");
                }
            }
            Emit(role.Id, new DomainDelegated(role.Id, role.OrgId, role.CircleId, key, title, keywords));
            if (report) Results.Add(new ChangeResult("addDomain", role.Id));
            return null;
        }

        public Problem? RemoveDomain(RemoveDomain c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (!role.HoldsDomain(c.Key ?? ""))
            {
                return Problem.Violation("unknown-domain", "The role does not hold this domain.",
                    $"Role '{role.Name}' does not hold the domain '{c.Key}'.");
            }
            // §1.3.2: the roles inside a circle hold only parts of the circle's domains; taking the
            // domain away first needs those parts taken back, or they would be left without a source.
            var parts = RolesIn(role.Id).SelectMany(r => r.Domains.Where(d => DomainKey.IsWithin(d.Key, c.Key!)).Select(d => (r, d))).ToList();
            if (parts.Count > 0)
            {
                var list = string.Join(", ", parts.Select(p => $"'{p.d.Key}' ({p.r.Name})"));
                return Problem.Violation("domain-delegated-inside", "Parts of this domain are delegated inside the circle.",
                    $"Circle '{role.Name}' has delegated {list}; its own governance must remove those first.",
                    "§1.3.2");
            }
            Emit(role.Id, new DomainRevoked(role.Id, c.Key!));
            Results.Add(new ChangeResult("removeDomain", role.Id));
            return null;
        }
    }
}
