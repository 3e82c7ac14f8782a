using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

/// <summary>
/// Asynchronous consent (§5.3 between meetings): Circle Members answer a proposal by its deadline;
/// every member's consent adopts it at once, the deadline adopts it without objection, an objection
/// or a request for a meeting keeps it for the circle's governance meeting.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AsynchronousConsentTests(GovernanceApp app)
{
    private static DateTimeOffset InAnHour => DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>An organisation whose Anchor Circle has three members: Ana proposes, Ben and Cy answer.</summary>
    private async Task<(Scenario Org, Guid Ana, Guid Ben, Guid Cy)> CircleOfThreeAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        return (org, await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"), await org.MemberAsync(org.AnchorCircleId, "Cy"));
    }

    private static async Task<JsonElement> UntilStatusAsync(Scenario org, Guid proposal, string status)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var read = await org.GetAsync($"proposals/{proposal}");
            if (read.GetProperty("status").GetString() == status || waited.Elapsed > TimeSpan.FromSeconds(30)) return read;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task When_every_other_member_answers_no_objection_the_proposal_is_adopted_at_once()
    {
        var (org, ana, ben, cy) = await CircleOfThreeAsync();
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Refunds Agent", domains: ["refunds"]));

        var first = await org.RespondAsync(proposal, ben, "noObjection");
        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("Open");
        (await org.WhoDecidesAsync("refunds")).GetProperty("status").GetString().Should().Be("NoDomain");

        var last = await (await org.RespondAsync(proposal, cy, "noObjection")).Content.ReadFromJsonAsync<JsonElement>();
        last.GetProperty("status").GetString().Should().Be("Adopted");
        (await org.WhoDecidesAsync("refunds")).GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
        var read = await org.GetAsync($"proposals/{proposal}");
        read.GetProperty("status").GetString().Should().Be("Adopted");
        read.GetProperty("adoptedVersion").GetInt64().Should().Be(last.GetProperty("adoptedVersion").GetInt64());
        read.GetProperty("statusReason").GetString().Should().Be("consent");
        read.GetProperty("responses").EnumerateArray().Select(r => (r.GetProperty("personId").GetGuid(), r.GetProperty("response").GetString()))
            .Should().Equal((ben, "noObjection"), (cy, "noObjection"));
        read.GetProperty("respondBy").GetDateTimeOffset().Should().BeCloseTo(InAnHour, TimeSpan.FromMinutes(1));
        await (await org.RespondAsync(proposal, ben, "objection", "Too late")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_amendment_asks_again_so_consent_to_the_earlier_changes_no_longer_counts()
    {
        var (org, ana, ben, cy) = await CircleOfThreeAsync();
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Refunder"));
        (await org.RespondAsync(proposal, ben, "noObjection")).StatusCode.Should().Be(HttpStatusCode.Created);
        var amend = await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/proposals/{proposal}/amend", new { changes = new[] { Change.CreateRole("Refunds Agent") } });
        amend.StatusCode.Should().Be(HttpStatusCode.OK, await amend.Content.ReadAsStringAsync());

        var afterCy = await (await org.RespondAsync(proposal, cy, "noObjection")).Content.ReadFromJsonAsync<JsonElement>();

        afterCy.GetProperty("status").GetString().Should().Be("Open", "Ben consented to the changes before the amendment");
        var read = await org.GetAsync($"proposals/{proposal}");
        read.GetProperty("responses").EnumerateArray().Single(r => r.GetProperty("personId").GetGuid() == ben).GetProperty("current").GetBoolean().Should().BeFalse();
        (await (await org.RespondAsync(proposal, ben, "noObjection")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("Adopted");
    }

    [Fact]
    public async Task An_objection_blocks_consent_and_a_meeting_request_sends_the_proposal_to_the_meeting()
    {
        var (org, ana, ben, cy) = await CircleOfThreeAsync();
        var objected = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Refunder"));
        var objection = await (await org.RespondAsync(objected, ben, "objection", "It hides what it does")).Content.ReadFromJsonAsync<JsonElement>();
        objection.GetProperty("objectionId").GetGuid().Should().NotBeEmpty();
        (await (await org.RespondAsync(objected, cy, "noObjection")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("Open");
        (await org.GetAsync($"proposals/{objected}")).GetProperty("objections").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("objectorId").GetGuid().Should().Be(ben);
        await (await org.RespondAsync(objected, cy, "objection")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var toMeeting = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Clerk"));
        (await (await org.RespondAsync(toMeeting, cy, "bringToMeeting")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("ToMeeting");
        (await org.GetAsync($"proposals/{toMeeting}")).GetProperty("status").GetString().Should().Be("ToMeeting");
        await (await org.RespondAsync(toMeeting, ben, "noObjection")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        // At the meeting it is adopted as any proposal is.
        (await org.ProposalStepAsync(toMeeting, "adopt")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_circle_members_other_than_the_proposer_respond_and_each_for_themselves()
    {
        var (org, ana, ben, _) = await CircleOfThreeAsync();
        var outsider = await org.PersonAsync("Olga");
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Refunder"));

        await (await org.RespondAsync(proposal, outsider, "noObjection")).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.1");
        await (await org.RespondAsync(proposal, ana, "noObjection")).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.3.1");
        await (await org.RespondAsync(proposal, ben, "maybe")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var dee = await org.MemberAsync(org.AnchorCircleId, "Dee");
        var asBen = org.As(app.ClientOf("Ben"));
        await (await asBen.RespondAsync(proposal, dee, "noObjection")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.1");
        (await asBen.ProposalStepAsync(proposal, "responses", new { response = "noObjection" })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_deadline_must_lie_ahead_and_no_sooner_than_the_circle_policy_allows()
    {
        var (org, ana, _, _) = await CircleOfThreeAsync();
        await (await org.ProposeAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddMinutes(-1), Change.CreateRole("X")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(new { title = "Time to answer", text = "Two days for every proposal.", minimumResponseHours = 48 }));

        await (await org.ProposeAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddHours(24), Change.CreateRole("X")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
        (await org.ProposeAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddHours(49), Change.CreateRole("X"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies")[0].GetProperty("minimumResponseHours").GetInt32().Should().Be(48);
    }

    [Fact]
    public async Task At_the_deadline_the_system_adopts_a_proposal_without_objection_exactly_once()
    {
        var (org, ana, ben, _) = await CircleOfThreeAsync();
        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddSeconds(2), Change.CreateRole("Refunds Agent", domains: ["refunds"]));
        (await org.RespondAsync(proposal, ben, "noObjection")).StatusCode.Should().Be(HttpStatusCode.Created);
        // Stored in PostgreSQL with the proposal, not held in memory.
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            (await session.QueryAsync<string>("select status from wolverine_incoming_envelopes where message_type = 'proposal-deadline' and position(convert_to(?, 'UTF8') in body) > 0", proposal.ToString()))
                .Should().ContainSingle().Which.Should().Be("Scheduled");
        }

        var read = await UntilStatusAsync(org, proposal, "Adopted");

        read.GetProperty("status").GetString().Should().Be("Adopted");
        read.GetProperty("statusReason").GetString().Should().Be("deadline");
        read.GetProperty("adoptedBy").GetProperty("kind").GetString().Should().Be("system");
        read.GetProperty("adoptedBy").GetProperty("reason").GetString().Should().Be("deadline");
        read.GetProperty("record").EnumerateArray().Count(s => s.GetProperty("type").GetString() == "proposal_adopted").Should().Be(1);
        (await org.WhoDecidesAsync("refunds")).GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(read.GetProperty("adoptedVersion").GetInt64());
    }

    [Fact]
    public async Task At_the_deadline_a_proposal_with_an_open_objection_goes_to_the_meeting_and_a_withdrawn_one_stays_withdrawn()
    {
        var (org, ana, ben, _) = await CircleOfThreeAsync();
        var objected = await org.ProposalAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddSeconds(2), Change.CreateRole("Refunder"));
        (await org.RespondAsync(objected, ben, "objection", "It hides what it does")).StatusCode.Should().Be(HttpStatusCode.Created);
        var withdrawn = await org.ProposalAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddSeconds(2), Change.CreateRole("Clerk"));
        (await org.As(app.ClientOf("Ana")).ProposalStepAsync(withdrawn, "withdraw")).StatusCode.Should().Be(HttpStatusCode.OK);

        var read = await UntilStatusAsync(org, objected, "ToMeeting");

        read.GetProperty("status").GetString().Should().Be("ToMeeting");
        read.GetProperty("statusReason").GetString().Should().Contain("objection");
        (await org.GetAsync($"proposals/{withdrawn}")).GetProperty("status").GetString().Should().Be("Withdrawn");
        (await org.GetAsync($"roles?q=Clerk")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_members_inbox_lists_the_open_proposals_awaiting_their_answer()
    {
        var (org, ana, ben, cy) = await CircleOfThreeAsync();
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var dee = await org.MemberAsync(cs, "Dee");
        var first = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Refunder"));
        var second = await org.ProposalAsync(org.AnchorCircleId, ana, InAnHour, Change.CreateRole("Clerk"));
        var elsewhere = await org.ProposalAsync(cs, dee, InAnHour, Change.CreateRole("Agent"));
        (await org.RespondAsync(first, ben, "noObjection")).StatusCode.Should().Be(HttpStatusCode.Created);

        async Task<IReadOnlyList<Guid>> InboxAsync(Guid person) =>
            [.. (await org.GetAsync($"proposals?awaiting={person}")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];

        (await InboxAsync(ben)).Should().Equal(second);
        (await InboxAsync(cy)).Should().Equal(first, second);
        (await InboxAsync(ana)).Should().BeEmpty("the proposer does not answer their own proposals");
        (await InboxAsync(dee)).Should().BeEmpty("Dee is no member of the Anchor Circle, and the proposal of her circle is her own");
        (await org.GetAsync($"proposals?circleId={cs}")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Should().Equal(elsewhere);
        (await org.GetAsync($"proposals?status=Adopted")).GetProperty("items").GetArrayLength().Should().Be(0);
        await (await org.Client.GetAsync($"{org.Base}/proposals?status=Pending")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
