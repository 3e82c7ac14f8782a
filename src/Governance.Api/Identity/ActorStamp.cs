using Marten;

namespace Governance.Identity;

/// <summary>Records who is writing in the metadata of every event the request appends (and its correlation id, which Wolverine sets).</summary>
public static class ActorStamp
{
    public static void Stamp(Caller caller, IDocumentSession session) => session.SetHeader(Actor.Header, caller.Actor);
}
