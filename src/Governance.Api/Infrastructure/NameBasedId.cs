using System.Security.Cryptography;
using System.Text;

namespace Governance.Infrastructure;

/// <summary>
/// Deterministic ids for things that exist once per owner (a circle's governance log, its
/// Facilitator role, ...): an RFC 9562 version-8 UUID from SHA-256 of the owner id and a name.
/// Two writers creating the same thing at once collide on the id instead of making two.
/// </summary>
public static class NameBasedId
{
    private static readonly byte[] Namespace = Guid.Parse("6f1c1f2e-5b7e-4a53-9d4a-0c7e2f1b9a10").ToByteArray(bigEndian: true);

    public static Guid Of(Guid owner, string name)
    {
        var hash = SHA256.HashData([.. Namespace, .. owner.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
