using Governance.Infrastructure;
using Governance.Registry;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Governance.Organisations;

/// <summary>An organisation as its stream has made it: its name, Anchor Circle, admins and live API keys.</summary>
public sealed record Organisation
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public Guid AnchorCircleId { get; init; }
    public IReadOnlyList<Guid> Admins { get; init; } = [];
    /// <summary>The keys not revoked.</summary>
    public IReadOnlyList<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>The organisation after one event of its stream: the one place an event's effect on it is written.</summary>
    public static Organisation? Fold(Organisation? org, IOrganisationEvent e) => e switch
    {
        OrganisationFounded x => new Organisation { Id = x.OrgId, Name = x.Name, AnchorCircleId = x.AnchorCircleId },
        _ when org is null => null,
        AdminGranted x => org with { Admins = [.. org.Admins.Where(a => a != x.PersonId), x.PersonId] },
        AdminRevoked x => org with { Admins = [.. org.Admins.Where(a => a != x.PersonId)] },
        ApiKeyCreated x => org with { ApiKeys = [.. org.ApiKeys, new ApiKey(x.KeyId, x.Name, x.Scopes, x.SecretHash)] },
        ApiKeyRevoked x => org with { ApiKeys = [.. org.ApiKeys.Where(k => k.Id != x.KeyId)] },
        _ => throw new UnfoldedEventException(e),
    };
}

/// <summary>An API key as the organisation keeps it: never the secret, only its SHA-256.</summary>
public sealed record ApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes, string SecretHash);

public sealed class OrganisationProjection : SingleStreamProjection<Organisation, Guid>
{
    public OrganisationProjection() => EventTypes.IncludeOnly<IOrganisationEvent>(this);

    public override Organisation? Evolve(Organisation? snapshot, Guid id, IEvent e) =>
        e.Data is IOrganisationEvent change ? Organisation.Fold(snapshot, change) : snapshot;
}
