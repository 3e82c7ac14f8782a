using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Identity;

/// <summary>Bearer tokens signed with the service's own key (HS256, <c>iss</c> = <c>aud</c> = governance): for setups without an identity provider, and for tests.</summary>
public static class LocalTokens
{
    public static string Issue(
        string signingKey, string subject, string? email, string name, TimeSpan lifetime, IEnumerable<string>? scopes = null, bool? emailVerified = null)
    {
        var claims = new List<Claim> { new(Schemes.SubjectClaim, subject), new(Schemes.NameClaim, name) };
        if (email is not null) claims.Add(new Claim(Schemes.EmailClaim, email));
        if (emailVerified is { } verified) claims.Add(new Claim(Schemes.EmailVerifiedClaim, verified ? "true" : "false", ClaimValueTypes.Boolean));
        if (scopes?.ToList() is { Count: > 0 } granted) claims.Add(new Claim(Schemes.ScopeClaim, string.Join(' ', granted)));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.LocalIssuer,
            Audience = AuthOptions.LocalIssuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
