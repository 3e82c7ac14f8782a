namespace Governance.Registry;

/// <summary>What a read sees: every organisation's registry now and in the past, the free-text index and the last event folded.</summary>
public sealed class RegistryView(RegistryFold fold, RegistryHistory history, TextIndex text, Lexicon lexicon, long sequence)
{
    public long Sequence => sequence;

    public TextIndex Text => text;

    public Lexicon Lexicon => lexicon;

    /// <summary>The organisation as it stands (null: no such organisation).</summary>
    public IRegistrySnapshot? Now(Guid orgId) => fold.Organisation(orgId)?.Snapshot(DateTimeOffset.UtcNow, sequence);

    /// <summary>The organisation as it stood at a past instant (null: it did not exist then).</summary>
    public IRegistrySnapshot? At(Guid orgId, DateTimeOffset instant) => history.At(orgId, instant);

    /// <summary>The organisation an API key belongs to, as it stands (null: no such key).</summary>
    public IRegistrySnapshot? OwnerOfApiKey(Guid keyId) => fold.OrganisationOfApiKey(keyId) is { } orgId ? Now(orgId) : null;

    /// <summary>Now, or at the instant when there is one.</summary>
    public IRegistrySnapshot? Of(Guid orgId, DateTimeOffset? instant) => instant is { } at ? At(orgId, at) : Now(orgId);
}
