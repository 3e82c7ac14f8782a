using Governance.Organisations;
using Governance.People;
using Governance.Roles;

namespace Governance.Registry;

/// <summary>
/// One organisation's registry at one instant: now (the live fold) or a past instant (the temporal
/// model). Every registry read is written once against this, so "now" and "as of" cannot drift
/// apart in what they show, how they order it or how they page it.
/// </summary>
public interface IRegistrySnapshot
{
    Organisation Organisation { get; }

    /// <summary>The instant the snapshot shows.</summary>
    DateTimeOffset AsOf { get; }

    /// <summary>The event sequence the snapshot reflects.</summary>
    long Sequence { get; }

    IReadOnlyDictionary<Guid, Role> Roles { get; }

    IReadOnlyDictionary<Guid, Person> People { get; }

    /// <summary>How many governance records the circle had adopted: its governance version.</summary>
    long GovernanceVersion(Guid circleId);

    /// <summary>The roles that hold exactly this key (a line of delegation).</summary>
    IReadOnlyList<DomainHolding> HoldersOf(string key);

    IEnumerable<Role> RolesIn(Guid circleId);

    IEnumerable<Role> RolesFilledBy(Guid personId);

    IEnumerable<Role> Circles { get; }

    /// <summary>
    /// The person an identity speaks for: by identity-provider subject; else by e-mail
    /// (case-insensitive), but only a person bound to no subject, so a token claiming someone's
    /// e-mail cannot speak for a person whose provider identity is known.
    /// </summary>
    Person? PersonKnownAs(string? subject, string? email);
}
