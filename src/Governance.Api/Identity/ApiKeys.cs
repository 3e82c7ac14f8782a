using System.Security.Cryptography;
using System.Text;

namespace Governance.Identity;

/// <summary>
/// API keys look like <c>gov_{keyId}_{secret}</c>: the id finds the key, the secret (32 random
/// bytes) proves it. Only the SHA-256 of the secret is stored; a fast hash is enough for a secret
/// of 256 random bits (nothing to brute-force, unlike a password).
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "gov_";

    public static (string Key, string SecretHash) Create(Guid keyId)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ($"{Prefix}{keyId:N}_{secret}", Hash(secret));
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The key's id and secret, or null when the text is not an API key.</summary>
    public static (Guid KeyId, string Secret)? Parse(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + 34) return null;
        var id = key.AsSpan(Prefix.Length, 32);
        return key[Prefix.Length + 32] == '_' && Guid.TryParseExact(id, "N", out var keyId) ? (keyId, key[(Prefix.Length + 33)..]) : null;
    }

    /// <summary>Compares in constant time, so the comparison leaks nothing of the stored hash.</summary>
    public static bool Matches(string secret, string secretHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(secretHash));
}
