using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Tests.Support;

/// <summary>
/// A minimal OpenID Connect provider on a loopback port: discovery document and JWKS (one RSA key),
/// tokens signed with that key, and the code flow (authorize, token; PKCE checked) for whoever is
/// <see cref="SignedIn"/> at the provider, so the service's authority path is tested end to end.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;
    private readonly WebApplication _app;

    private FakeIdentityProvider(WebApplication app, RSA rsa, RsaSecurityKey key) => (_app, _rsa, _key) = (app, rsa, key);

    public string Authority { get; private set; } = "";

    /// <summary>The person signed in at the provider: the authorize endpoint answers for them without asking.</summary>
    public (string Subject, string Email, string Name)? SignedIn { get; set; }

    /// <summary>How often a browser was sent to the authorize endpoint.</summary>
    public int Authorizations => _authorizations;

    private int _authorizations;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Grant> _codes = new();

    private sealed record Grant(string ClientId, string RedirectUri, string Nonce, string Challenge, (string Subject, string Email, string Name) Person);

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "test-key" };
        var provider = new FakeIdentityProvider(app, rsa, key);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Authority,
            ["jwks_uri"] = $"{provider.Authority}/jwks",
            ["authorization_endpoint"] = $"{provider.Authority}/authorize",
            ["token_endpoint"] = $"{provider.Authority}/token",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.Exchange);
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        provider.Authority = app.Urls.First();
        return provider;
    }

    public string TokenFor(string subject, string email, string name, string audience, string? nonce = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("email", email), new Claim("name", name), .. nonce is null ? [] : new[] { new Claim("nonce", nonce) }]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The authorize endpoint of the code flow: straight back to the client with a code for the signed-in person.</summary>
    private IResult Authorize(HttpRequest request)
    {
        Interlocked.Increment(ref _authorizations);
        var query = request.Query;
        if (SignedIn is not { } person) return Results.Text("Nobody is signed in at the provider.", statusCode: 401);
        if (query["response_type"] != "code" || query["code_challenge_method"] != "S256") return Results.BadRequest("code flow with S256 PKCE only");
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(query["client_id"]!, query["redirect_uri"]!, query["nonce"]!, query["code_challenge"]!, person);
        return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
    }

    /// <summary>The token endpoint: a code once, for the client and redirect it was given to, with the verifier of its challenge.</summary>
    private async Task<IResult> Exchange(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
            || grant.ClientId != form["client_id"] || grant.RedirectUri != form["redirect_uri"]
            || Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }
        var (subject, email, name) = grant.Person;
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 600,
            ["access_token"] = TokenFor(subject, email, name, grant.ClientId),
            ["id_token"] = TokenFor(subject, email, name, grant.ClientId, grant.Nonce),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
