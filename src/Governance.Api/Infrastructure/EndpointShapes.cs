using Marten;
using Wolverine.Http;

namespace Governance.Infrastructure;

/// <summary>What an endpoint does, read off its Wolverine chain, for the policies that document and wrap it.</summary>
public static class EndpointShapes
{
    /// <summary>Endpoints that write take the Marten session Wolverine commits.</summary>
    public static bool Writes(this HttpChain chain) =>
        chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession));
}
