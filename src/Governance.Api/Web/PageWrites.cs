using Governance.Identity;
using Marten;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Governance.Web;

/// <summary>
/// A page's write, in the unit of work a Wolverine HTTP endpoint has: a Marten session enrolled in
/// Wolverine's outbox (messages such as a proposal's deadline commit with the events), the caller
/// stamped as the events' actor, the request's correlation id, one commit, then the outgoing
/// messages flushed. The page then calls the API's own write function, so its checks and problems are the API's.
/// </summary>
public sealed class PageWrites(OutboxedSessionFactory sessions, IWolverineRuntime runtime)
{
    public async Task<T> RunAsync<T>(HttpContext http, Func<IDocumentSession, IMessageBus, Task<T>> write)
    {
        var bus = new MessageContext(runtime) { CorrelationId = http.TraceIdentifier };
        await using var session = sessions.OpenSession(bus);
        session.CorrelationId = http.TraceIdentifier;
        ActorStamp.Stamp(http.Caller(), session);
        var result = await write(session, bus);
        await session.SaveChangesAsync(http.RequestAborted);
        await bus.FlushOutgoingMessagesAsync();
        return result;
    }
}
