using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Governance.Identity;

/// <summary>
/// Who is asking, and their standing in the organisation of the route: resolved once per request
/// by <see cref="Standing"/> and handed to endpoints (Wolverine passes it as a parameter).
/// </summary>
/// <param name="Actor">What the request's events record as their actor.</param>
/// <param name="PersonId">The person of the organisation the credential speaks for (none for keys and the development user).</param>
/// <param name="IsAdmin">An admin of the organisation (the development user is admin of every one).</param>
/// <param name="Scopes">An API key's scopes.</param>
public sealed record Caller(Actor Actor, Guid? PersonId, bool IsAdmin, IReadOnlySet<string> Scopes)
{
    public const string RegistryRead = "registry:read";
    public const string AuditRead = "audit:read";
    public static readonly IReadOnlySet<string> KnownScopes = new HashSet<string>(StringComparer.Ordinal) { RegistryRead, AuditRead };

    public bool IsApiKey => Actor.Kind == Actor.Kinds.ApiKey;

    /// <summary>A person acting as themselves: the caller is <paramref name="personId"/>.</summary>
    public bool Is(Guid personId) => PersonId == personId;
}

public static class CallerExtensions
{
    /// <summary>The caller <see cref="Standing"/> resolved for this request.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Features.Get<Caller>() ?? throw new InvalidOperationException("No caller was resolved for this endpoint; does it declare a [Requires] right?");
}

/// <summary>How an endpoint gets its <see cref="Identity.Caller"/>: a <c>Caller</c> parameter is loaded from the request, never read from the body.</summary>
public static class CallerLoading
{
    public static Caller Load(HttpContext http) => http.Caller();

    /// <summary>The frame loading the caller in a chain, added once.</summary>
    public static Variable In(HttpChain chain)
    {
        if (chain.Middleware.OfType<MethodCall>().FirstOrDefault(m => m.HandlerType == typeof(CallerLoading)) is { } existing) return existing.ReturnVariable!;
        var load = new MethodCall(typeof(CallerLoading), nameof(Load));
        chain.Middleware.Insert(0, load);
        return load.ReturnVariable!;
    }
}

public sealed class CallerParameterStrategy : IParameterStrategy
{
    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = parameter.ParameterType == typeof(Caller) ? CallerLoading.In(chain) : null;
        return variable is not null;
    }
}
