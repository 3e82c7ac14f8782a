using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Governance.Identity;

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
