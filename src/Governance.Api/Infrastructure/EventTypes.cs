using JasperFx.Events.Projections;

namespace Governance.Infrastructure;

/// <summary>
/// The concrete event types of a kind (<c>IRoleEvent</c>, <c>IStreamOpening</c>, ...), for the
/// projections' event filters. Marten reads only the events of the types a projection names, but
/// one interface or abstract type among them turns the filter off: every event in the store is then
/// read and deserialised for it (a rebuild of the proposals read all 1.08M events to find none).
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<Type> Implementing<T>() =>
        [.. typeof(EventTypes).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(T)))];

    /// <summary>Has the projection read exactly the concrete events of kind <typeparamref name="T"/>, and no interface.</summary>
    public static void IncludeOnly<T>(EventFilterable projection)
    {
        projection.IncludedEventTypes.RemoveAll(t => t.IsInterface || t.IsAbstract);
        foreach (var type in Implementing<T>().Except(projection.IncludedEventTypes).ToList()) projection.IncludeType(type);
    }
}
