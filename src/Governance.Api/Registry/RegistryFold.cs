using Governance.Organisations;
using JasperFx.Events;

namespace Governance.Registry;

/// <summary>
/// The organisations the live registry holds in memory, and what it knows of every organisation
/// (that it exists, and which organisation each API key belongs to). An event goes to the
/// organisation owning its stream when that organisation is in memory, and is passed over when it
/// is not: loading the organisation later reads it from the store. A newly founded organisation is
/// in memory from its founding event on. Not thread-safe: <see cref="LiveRegistry"/> guards it.
/// </summary>
public sealed class RegistryFold
{
    private readonly Dictionary<Guid, LiveOrganisation> _organisations = [];
    private readonly Dictionary<Guid, LiveOrganisation> _streams = [];
    private readonly HashSet<Guid> _known = [];
    private readonly Dictionary<Guid, Guid> _apiKeyOrganisations = [];

    /// <summary>The organisations in memory.</summary>
    public IReadOnlyCollection<LiveOrganisation> Loaded => _organisations.Values;

    /// <summary>True when the organisation was founded (whether in memory or not).</summary>
    public bool Exists(Guid orgId) => _known.Contains(orgId);

    /// <summary>The organisation in memory (null: not loaded, or no such organisation).</summary>
    public LiveOrganisation? Organisation(Guid orgId) => _organisations.GetValueOrDefault(orgId);

    /// <summary>The organisation an API key was created for (revoked keys included).</summary>
    public Guid? OrganisationOfApiKey(Guid keyId) => _apiKeyOrganisations.TryGetValue(keyId, out var orgId) ? orgId : null;

    /// <summary>Notes an organisation founded before the events this fold reads.</summary>
    public void Know(Guid orgId) => _known.Add(orgId);

    /// <summary>Notes an API key created before the events this fold reads.</summary>
    public void Know(ApiKeyCreated key) => _apiKeyOrganisations[key.KeyId] = key.OrgId;

    /// <summary>Folds one event into its organisation when that is in memory, and returns it (null: not folded here).</summary>
    public LiveOrganisation? Apply(IEvent e)
    {
        switch (e.Data)
        {
            // Every event of a new organisation comes after its founding: it is whole in memory from here.
            case OrganisationFounded founded when _known.Add(founded.OrgId):
                Install(new LiveOrganisation(founded.OrgId));
                break;
            case ApiKeyCreated key:
                Know(key);
                break;
        }
        if (e.Data is IStreamOpening opens && _organisations.TryGetValue(opens.OrgId, out var owner)) _streams.TryAdd(e.StreamId, owner);
        return _streams.TryGetValue(e.StreamId, out var organisation) && organisation.Fold(e) ? organisation : null;
    }

    /// <summary>Puts an organisation loaded from the store in memory.</summary>
    public void Install(LiveOrganisation organisation)
    {
        _known.Add(organisation.Id);
        _organisations[organisation.Id] = organisation;
        foreach (var stream in organisation.Streams) _streams[stream] = organisation;
    }

    /// <summary>Drops an organisation from memory; the next read of it loads it again.</summary>
    public void Evict(LiveOrganisation organisation)
    {
        if (!_organisations.Remove(organisation.Id)) return;
        foreach (var stream in organisation.Streams) _streams.Remove(stream);
    }
}
