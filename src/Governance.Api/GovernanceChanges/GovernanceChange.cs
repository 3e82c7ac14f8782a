using System.Text.Json.Serialization;

namespace Governance.GovernanceChanges;

/// <summary>One change of an adopted governance output (§5.2), told apart by its <c>op</c> field.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(CreateRole), "createRole")]
[JsonDerivedType(typeof(UpdateRole), "updateRole")]
[JsonDerivedType(typeof(AddAccountability), "addAccountability")]
[JsonDerivedType(typeof(RemoveAccountability), "removeAccountability")]
[JsonDerivedType(typeof(AddDomain), "addDomain")]
[JsonDerivedType(typeof(RemoveDomain), "removeDomain")]
[JsonDerivedType(typeof(ConvertToCircle), "convertToCircle")]
[JsonDerivedType(typeof(ConvertToRole), "convertToRole")]
[JsonDerivedType(typeof(RemoveRole), "removeRole")]
[JsonDerivedType(typeof(MoveRole), "moveRole")]
[JsonDerivedType(typeof(AddPolicy), "addPolicy")]
[JsonDerivedType(typeof(AmendPolicy), "amendPolicy")]
[JsonDerivedType(typeof(RemovePolicy), "removePolicy")]
public abstract record GovernanceChange
{
    /// <summary>The op name as it appears on the wire (the discriminator itself is written by the serializer).</summary>
    [JsonIgnore]
    public string OpName => GetType().Name is var n ? char.ToLowerInvariant(n[0]) + n[1..] : "";

    /// <summary>The role or policy a change acts on (null: it creates one, or names none).</summary>
    public static Guid? TargetOf(GovernanceChange change) => change switch
    {
        UpdateRole c => c.RoleId,
        AddAccountability c => c.RoleId,
        RemoveAccountability c => c.RoleId,
        AddDomain c => c.RoleId,
        RemoveDomain c => c.RoleId,
        ConvertToCircle c => c.RoleId,
        ConvertToRole c => c.RoleId,
        RemoveRole c => c.RoleId,
        MoveRole c => c.RoleId,
        AmendPolicy c => c.PolicyId,
        RemovePolicy c => c.PolicyId,
        _ => null,
    };
}

public sealed record DomainInput(string Key, string Title, IReadOnlyList<string>? Keywords = null);

/// <summary>A new role; <c>ExternalId</c>: its id in the system it is imported from, so a later import finds it.</summary>
public sealed record CreateRole(
    string Name,
    string? Purpose = null,
    IReadOnlyList<string>? Accountabilities = null,
    IReadOnlyList<DomainInput>? Domains = null,
    bool IsCircle = false,
    string? ExternalId = null) : GovernanceChange;

public sealed record UpdateRole(Guid RoleId, string? Name = null, string? Purpose = null) : GovernanceChange;

public sealed record AddAccountability(Guid RoleId, string Text) : GovernanceChange;

public sealed record RemoveAccountability(Guid RoleId, string Text) : GovernanceChange;

public sealed record AddDomain(Guid RoleId, DomainInput Domain) : GovernanceChange;

public sealed record RemoveDomain(Guid RoleId, string Key) : GovernanceChange;

public sealed record ConvertToCircle(Guid RoleId) : GovernanceChange;

/// <summary>
/// Turns a circle of this circle back into a role: it keeps its domains, accountabilities and filler;
/// its core roles, policies and rulings end. For a circle that still has roles, <c>InnerRoles</c>
/// says what happens to them: "remove" or "moveUp" (into this circle).
/// </summary>
public sealed record ConvertToRole(Guid RoleId, string? InnerRoles = null) : GovernanceChange;

/// <summary>Removes a role. For a circle that still has roles, <c>InnerRoles</c> says what happens to them: "remove" or "moveUp" (into this circle).</summary>
public sealed record RemoveRole(Guid RoleId, string? InnerRoles = null) : GovernanceChange;

/// <summary>
/// Moves a role of this circle or of a circle inside it (any depth) to this circle or another circle
/// inside it. <c>Policies</c>: policies of the circle the role leaves that move with it.
/// </summary>
public sealed record MoveRole(Guid RoleId, Guid ToCircleId, IReadOnlyList<Guid>? Policies = null) : GovernanceChange;

public sealed record GrantInput(Guid RoleId, decimal? MaxAmount = null, string? Currency = null);

/// <summary>A policy as a governance change states it; <c>MinimumResponseHours</c>: the least time, in hours, the circle's members get to respond to an asynchronous proposal.</summary>
public sealed record PolicyInput(string Title, string Text, string? DomainKey = null, IReadOnlyList<GrantInput>? Grants = null, int? MinimumResponseHours = null);

public sealed record AddPolicy(PolicyInput Policy) : GovernanceChange;

public sealed record AmendPolicy(Guid PolicyId, PolicyInput Policy) : GovernanceChange;

public sealed record RemovePolicy(Guid PolicyId) : GovernanceChange;
