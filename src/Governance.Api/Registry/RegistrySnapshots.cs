using Governance.DecisionRights;

namespace Governance.Registry;

/// <summary>What is read off a snapshot by more than one slice.</summary>
public static class RegistrySnapshots
{
    /// <summary>What a question about the organisation is resolved against.</summary>
    public static RegistryFacts Facts(this IRegistrySnapshot snapshot) =>
        new(snapshot.Organisation.AnchorCircleId, snapshot.HoldersOf, snapshot.Roles, snapshot.People);
}
