using System.IO.Compression;
using System.Text.Json;

namespace Governance.Registry;

/// <summary>
/// One organisation's live fold stored in PostgreSQL, so loading it reads one row and the events
/// after <see cref="Watermark"/> instead of all of its events. A cache, never the truth: a snapshot
/// written by another version of the code (<see cref="Code"/>) is ignored and replaced after a full
/// load, and <c>verify</c> compares the documents with a full replay, never with a snapshot.
/// </summary>
public sealed class OrganisationSnapshot
{
    /// <summary>This build's identity: the module version id, the same for the same source and compiler.</summary>
    public static readonly string CurrentCode = typeof(OrganisationSnapshot).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a snapshot holds: the history (the registry is its last versions), the version of each stream folded, the events folded.</summary>
    public sealed record Fold(RegistryHistory.State History, Dictionary<Guid, long> Streams, long Events);

    /// <summary>The organisation's id.</summary>
    public Guid Id { get; set; }

    public string Code { get; set; } = "";

    /// <summary>Every event of the organisation at or below this sequence is folded in (and some above it may be: see the stream versions).</summary>
    public long Watermark { get; set; }

    public long Events { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>The <see cref="Fold"/> as gzipped JSON: a JSON document's keys would lose their order in <c>jsonb</c>, and the order people joined in matters.</summary>
    public byte[] Content { get; set; } = [];

    public static OrganisationSnapshot Of(Guid orgId, Fold fold, long watermark, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) JsonSerializer.Serialize(zip, fold, Json);
        return new OrganisationSnapshot { Id = orgId, Code = CurrentCode, Watermark = watermark, Events = fold.Events, TakenAt = now, Content = buffer.ToArray() };
    }

    /// <summary>The fold, unzipped whole first (reading JSON from the zip stream piece by piece took twice as long).</summary>
    public Fold Read()
    {
        using var json = new MemoryStream();
        using (var zip = new GZipStream(new MemoryStream(Content), CompressionMode.Decompress)) zip.CopyTo(json);
        return JsonSerializer.Deserialize<Fold>(json.GetBuffer().AsSpan(0, (int)json.Length), Json) ?? throw new InvalidDataException($"The snapshot of organisation {Id} is empty.");
    }
}
