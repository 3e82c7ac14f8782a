using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http;

namespace Governance.Infrastructure;

/// <summary>Every endpoint that writes remembers its answer for an Idempotency-Key before its session commits.</summary>
public sealed class IdempotencyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HttpMethods.Contains("POST") && c.Writes()
            && c.Method.Method.GetCustomAttributes(typeof(SecretInResponseAttribute), false).Length == 0))
        {
            var remember = new MethodCall(typeof(Idempotency), nameof(Idempotency.Remember));
            remember.Arguments[0] = chain.Method.ReturnVariable!;
            // Wolverine's transactional middleware put the commit among the postprocessors: go before it.
            var commit = chain.Postprocessors.FindIndex(f => f.GetType().Name == "DocumentSessionSaveChanges");
            chain.Postprocessors.Insert(commit < 0 ? 0 : commit, remember);
        }
    }
}
