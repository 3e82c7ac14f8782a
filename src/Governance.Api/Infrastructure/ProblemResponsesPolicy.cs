using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Http;

namespace Governance.Infrastructure;

/// <summary>
/// Documents every endpoint's problem responses in one place, from the endpoint's shape, so each
/// endpoint declares only its success (typed results): 400 when it takes input beyond its ids (a
/// body, a query, a key in the path) or an Idempotency-Key (every writing POST), 404 under an
/// organisation, 409 when it writes (a concurrent change), 422 for a writing POST (a rule of the
/// constitution, or an Idempotency-Key reused for another request), 413 with a body over the
/// limit, 500 everywhere (a bug: the fuzz test keeps it from happening) and 503 everywhere (the database or
/// the live registry unavailable).
/// </summary>
public sealed class ProblemResponsesPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var writingPost = chain.Writes() && chain.HttpMethods.Contains("POST");
            var statuses = new List<int>();
            if (TakesInput(chain) || writingPost) statuses.Add(StatusCodes.Status400BadRequest);
            if (chain.HasRequestType) statuses.Add(StatusCodes.Status413PayloadTooLarge);
            if (chain.RoutePattern?.RawText?.Contains("{orgId}", StringComparison.Ordinal) == true) statuses.Add(StatusCodes.Status404NotFound);
            if (chain.Writes()) statuses.Add(StatusCodes.Status409Conflict);
            if (writingPost) statuses.Add(StatusCodes.Status422UnprocessableEntity);
            statuses.Add(StatusCodes.Status500InternalServerError);
            statuses.Add(StatusCodes.Status503ServiceUnavailable);
            foreach (var status in statuses) chain.Metadata.ProducesProblem(status);
        }
    }

    private static bool TakesInput(HttpChain chain) =>
        chain.HasRequestType
        || chain.Method.Method.GetParameters().Any(p => IsValue(p.ParameterType) && !IsIdInRoute(chain, p));

    private static bool IsValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || (underlying.IsValueType && underlying != typeof(CancellationToken));
    }

    private static bool IsIdInRoute(HttpChain chain, System.Reflection.ParameterInfo parameter) =>
        parameter.ParameterType == typeof(Guid) && chain.RoutePattern?.RawText?.Contains($"{{{parameter.Name}}}", StringComparison.Ordinal) == true;
}
