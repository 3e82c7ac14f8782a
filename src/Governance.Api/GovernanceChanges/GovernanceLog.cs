using System.Security.Cryptography;
using Marten;

namespace Governance.GovernanceChanges;

/// <summary>
/// Each circle has a governance log: a stream holding only its adopted governance records. Its
/// version is the circle's governance version. The log's id is derived from the circle's id
/// (name-based, an RFC 9562 version-8 UUID from SHA-256) so no lookup table is needed.
/// </summary>
public static class GovernanceLog
{
    private static readonly byte[] Namespace = Guid.Parse("6f1c1f2e-5b7e-4a53-9d4a-0c7e2f1b9a10").ToByteArray(bigEndian: true);

    public static Guid StreamIdOf(Guid circleId)
    {
        var hash = SHA256.HashData([.. Namespace, .. circleId.ToByteArray(bigEndian: true)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public static async Task<long> VersionAsync(IQuerySession session, Guid circleId, CancellationToken ct) =>
        (await session.Events.FetchStreamStateAsync(StreamIdOf(circleId), ct))?.Version ?? 0;
}
