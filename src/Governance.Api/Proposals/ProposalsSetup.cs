using Governance.Infrastructure;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Governance.Proposals;

public static class ProposalsSetup
{
    /// <summary>How often due deadlines are looked for: a proposal is adopted at most this long after its <c>respondBy</c>.</summary>
    public const string DeadlineCheckInterval = "Governance:Proposals:DeadlineCheckInterval";

    public static WebApplicationBuilder AddProposals(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([
                typeof(ProposalSubmitted), typeof(ProposalAmended), typeof(ObjectionRaised), typeof(ObjectionIntegrated),
                typeof(ProposalAdopted), typeof(ProposalWithdrawn), typeof(ResponseGiven), typeof(ProposalSentToMeeting), typeof(ProposalDiscarded),
            ]);
            opts.Projections.Add<ProposalProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
            // Lists: a circle's proposals by status, and a member's inbox.
            opts.Schema.For<Proposal>().Duplicate(p => p.OrgId).Duplicate(p => p.CircleId).Duplicate(p => p.Status);
        });
        var checkEvery = builder.Configuration.GetValue(DeadlineCheckInterval, TimeSpan.FromSeconds(5));
        builder.Services.ConfigureWolverine(opts =>
        {
            // Deadlines live in PostgreSQL (Wolverine's inbox, stored with the proposal's events), not in a timer in memory:
            // they survive restarts, and of several instances one handles each.
            // One at a time per instance: deadlines on one circle at one instant would otherwise race for its version.
            opts.LocalQueueFor<ProposalDeadlineReached>().UseDurableInbox().Sequential();
            // Another instance's adoption on the same circle, or a step on the same proposal, won the race: judge again.
            opts.OnException<ConcurrencyException>().Or<EventStreamUnexpectedMaxEventIdException>()
                .Or<Marten.Exceptions.StreamLockedException>().Or<JasperFx.Events.StreamLockedException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
            opts.Durability.ScheduledJobPollingTime = checkEvery;
            opts.Durability.ScheduledJobFirstExecution = checkEvery < TimeSpan.FromSeconds(1) ? checkEvery : TimeSpan.FromSeconds(1);
        });
        return builder;
    }
}
