using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>Governance meetings as a record (§5.4): attendees, the agenda they began with, and what they decided.</summary>
[Collection(ApiCollection.Name)]
public sealed class MeetingTests(GovernanceApp app)
{
    private static async Task<Guid> OpenAsync(Scenario org, Guid circleId, string kind, params Guid[] attendees)
    {
        var response = await org.Client.PostAsJsonAsync($"{org.Base}/circles/{circleId}/meetings", new { kind, attendees });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_governance_meeting_records_its_agenda_attendees_and_every_output_decided_in_it()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var (ana, ben) = (await org.MemberAsync(org.AnchorCircleId, "Ana"), await org.MemberAsync(org.AnchorCircleId, "Ben"));
        var waiting = await org.ProposalAsync(org.AnchorCircleId, ana, DateTimeOffset.UtcNow.AddHours(1), Change.CreateRole("Refunds Agent", domains: ["refunds"]));
        (await org.RespondAsync(waiting, ben, "bringToMeeting")).StatusCode.Should().Be(HttpStatusCode.Created);
        var invalid = await org.ProposalAsync(org.AnchorCircleId, ben, Change.CreateRole("Vague"));

        var meeting = await OpenAsync(org, org.AnchorCircleId, "governance", ana, ben);

        var opened = await org.GetAsync($"meetings/{meeting}");
        opened.GetProperty("agenda").EnumerateArray().Select(a => a.GetGuid()).Should().Equal(waiting);
        opened.GetProperty("attendees").EnumerateArray().Select(a => a.GetGuid()).Should().Equal(ana, ben);
        opened.GetProperty("endedAt").ValueKind.Should().Be(JsonValueKind.Null);

        var adopted = await org.ProposalStepAsync(waiting, $"adopt?meetingId={meeting}");
        adopted.StatusCode.Should().Be(HttpStatusCode.OK, await adopted.Content.ReadAsStringAsync());
        var batch = await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance",
            new { changes = new[] { Change.CreateRole("Clerk") }, meetingId = meeting });
        batch.StatusCode.Should().Be(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync());
        var election = await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/elections",
            new { role = "Secretary", personId = ben, termEnds = DateTimeOffset.UtcNow.AddDays(90), meetingId = meeting });
        election.StatusCode.Should().Be(HttpStatusCode.Created, await election.Content.ReadAsStringAsync());
        var secretary = (await election.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        (await org.ProposalStepAsync(invalid, "discard", new { reason = "No tension of a role of the proposer (§5.3.1)", meetingId = meeting }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.Client.PostAsync($"{org.Base}/meetings/{meeting}/close", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var record = await org.GetAsync($"meetings/{meeting}");
        record.GetProperty("endedAt").GetDateTimeOffset().Should().BeAfter(record.GetProperty("startedAt").GetDateTimeOffset());
        var outputs = record.GetProperty("outputs").EnumerateArray().ToList();
        outputs.Select(o => o.GetProperty("type").GetString()).Should().Equal("adoption", "governance", "election", "discard");
        outputs[0].GetProperty("proposalId").GetGuid().Should().Be(waiting);
        outputs[0].GetProperty("version").GetInt64().Should().Be((await adopted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        outputs[1].GetProperty("version").GetInt64().Should().Be((await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        outputs[2].GetProperty("roleId").GetGuid().Should().Be(secretary);
        (await org.GetAsync($"proposals/{invalid}")).GetProperty("status").GetString().Should().Be("Discarded");

        // The organisation's record says which meeting decided each batch.
        var export = (await org.Client.GetStringAsync($"{org.Base}/events")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        export.Where(e => e.GetProperty("type").GetString() == "governance_changes_adopted")
            .Count(e => e.GetProperty("data").TryGetProperty("meetingId", out var m) && m.ValueKind == JsonValueKind.String && m.GetGuid() == meeting)
            .Should().Be(2, "the adopted proposal and the direct batch");
        (await org.ProposalStepAsync(await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Late")), $"adopt?meetingId={meeting}"))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "the meeting has ended");
    }

    [Fact]
    public async Task Only_members_attend_governance_is_decided_in_a_governance_meeting_of_its_own_circle_and_the_facilitator_discards()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.MemberAsync(org.AnchorCircleId, "Ana");
        var outsider = await org.PersonAsync("Olga");
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var dee = await org.MemberAsync(cs, "Dee");

        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/meetings", new { kind = "governance", attendees = new[] { ana, outsider } }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.4.1");
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/meetings", new { kind = "retreat", attendees = new[] { ana } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/meetings", new { kind = "governance", attendees = new[] { ana } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.4");

        var tactical = await OpenAsync(org, org.AnchorCircleId, "tactical", ana);
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("X") }, meetingId = tactical }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.4");
        var ofCs = await OpenAsync(org, cs, "governance", dee);
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("X") }, meetingId = ofCs }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.4");
        await (await org.Client.PostAsJsonAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance", new { changes = new[] { Change.CreateRole("X") }, meetingId = Guid.NewGuid() }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.GetAsync($"roles?q=X")).GetProperty("items").GetArrayLength().Should().Be(0, "refused outputs change nothing");

        var proposal = await org.ProposalAsync(org.AnchorCircleId, ana, Change.CreateRole("Vague"));
        await (await app.ClientOf("Ana").PostAsJsonAsync($"{org.Base}/proposals/{proposal}/discard", new { reason = "Mine" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §5.3.1");
        await (await org.ProposalStepAsync(proposal, "discard", new { reason = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await org.Client.GetAsync($"{org.Base}/meetings/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
