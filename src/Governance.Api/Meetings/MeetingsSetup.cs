using Governance.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace Governance.Meetings;

public static class MeetingsSetup
{
    public static WebApplicationBuilder AddMeetings(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([typeof(MeetingOpened), typeof(MeetingOutputRecorded), typeof(MeetingClosed)]);
            opts.Projections.Add<MeetingProjection>(ProjectionLifecycle.Inline, EventStoreSetup.RebuildInLargePages);
            opts.Schema.For<Meeting>().Duplicate(m => m.OrgId);
        });
        return builder;
    }
}
