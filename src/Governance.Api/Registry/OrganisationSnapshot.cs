using System.IO.Compression;
using System.Text.Json;
using Governance.Organisations;
using Governance.People;
using Governance.Roles;

namespace Governance.Registry;

/// <summary>
/// One organisation's live fold stored in PostgreSQL, so loading it reads one row and the events
/// after <see cref="Watermark"/> instead of all of its events. Two parts: the registry as it stands
/// (<see cref="Content"/>, read at every load) and the history behind time travel
/// (<see cref="History"/>, kept packed until a question <c>asOf</c> an instant needs it). A cache,
/// never the truth: a snapshot written by another version of the code (<see cref="Code"/>) is
/// ignored and replaced after a full load, and <c>verify</c> compares the documents with a full
/// replay, never with a snapshot.
/// </summary>
public sealed class OrganisationSnapshot
{
    /// <summary>This build's identity: the module version id, the same for the same source and compiler.</summary>
    public static readonly string CurrentCode = typeof(OrganisationSnapshot).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The registry as it stands: the organisation, its roles, its people in the order they joined, each
    /// circle's governance version, the highest sequence folded, the version of each stream folded, how many
    /// events, and the lexemes of its roles' words (so re-indexing them asks the database nothing).
    /// </summary>
    public sealed record Now(
        Organisation? Organisation, List<Role> Roles, List<Person> People, Dictionary<Guid, long> Versions, long Sequence,
        Dictionary<Guid, long> Streams, long Events, Dictionary<string, string[]> Lexemes);

    /// <summary>The organisation's id.</summary>
    public Guid Id { get; set; }

    public string Code { get; set; } = "";

    /// <summary>Every event of the organisation at or below this sequence is folded in (and some above it may be: see the stream versions).</summary>
    public long Watermark { get; set; }

    public long Events { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>
    /// <see cref="Now"/> as gzipped JSON (both parts are: a JSON document's keys would lose their order in
    /// <c>jsonb</c>, and the order people joined in matters).
    /// </summary>
    public byte[] Content { get; set; } = [];

    /// <summary>The <see cref="RegistryHistory.State"/> as gzipped JSON.</summary>
    public byte[] History { get; set; } = [];

    public static OrganisationSnapshot Of(Guid orgId, Now now, byte[] history, long watermark, DateTimeOffset at) => new()
    {
        Id = orgId,
        Code = CurrentCode,
        Watermark = watermark,
        Events = now.Events,
        TakenAt = at,
        Content = Pack(now),
        History = history,
    };

    public Now ReadNow() => Unpack<Now>(Content);

    public static byte[] Pack<T>(T value)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) JsonSerializer.Serialize(zip, value, Json);
        return buffer.ToArray();
    }

    /// <summary>Unzipped whole first: reading JSON from the zip stream piece by piece took twice as long.</summary>
    public static T Unpack<T>(byte[] packed)
    {
        using var json = new MemoryStream();
        using (var zip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress)) zip.CopyTo(json);
        return JsonSerializer.Deserialize<T>(json.GetBuffer().AsSpan(0, (int)json.Length), Json) ?? throw new InvalidDataException("An empty snapshot.");
    }
}
