using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Identity;

/// <summary>Bearer tokens signed with the service's own key (HS256, <c>iss</c> = <c>aud</c> = governance): for setups without an identity provider, and for tests.</summary>
public static class LocalTokens
{
    public static string Issue(string signingKey, string subject, string? email, string name, TimeSpan lifetime, IEnumerable<string>? scopes = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("name", name) };
        if (email is not null) claims.Add(new Claim("email", email));
        if (scopes?.ToList() is { Count: > 0 } granted) claims.Add(new Claim("scope", string.Join(' ', granted)));
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
