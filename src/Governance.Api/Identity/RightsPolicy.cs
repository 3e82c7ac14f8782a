using System.Reflection;
using Governance.Infrastructure;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http;

namespace Governance.Identity;

/// <summary>
/// Every endpoint declares its <see cref="Right"/> (the service refuses to start otherwise: no route
/// can be forgotten); every write records the caller as the actor of its events, and the document
/// lists 401, 403 and 429 everywhere. (A <see cref="Caller"/> parameter is supplied by <see cref="CallerParameterStrategy"/>.)
/// </summary>
public sealed class RightsPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            if (chain.Method.Method.GetCustomAttribute<RequiresAttribute>() is null)
            {
                throw new InvalidOperationException(
                    $"{chain.Method.HandlerType.Name}.{chain.Method.Method.Name} declares no [Requires] right: every endpoint says who may call it.");
            }
            if (chain.Writes())
            {
                var stamp = new MethodCall(typeof(ActorStamp), nameof(ActorStamp.Stamp));
                stamp.Arguments[0] = CallerLoading.In(chain);
                chain.Middleware.Add(stamp);
            }
            chain.Metadata.ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
        }
    }
}
