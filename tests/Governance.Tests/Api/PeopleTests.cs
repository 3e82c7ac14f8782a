using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Audit;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

/// <summary>People and assignments as every peer has them: find, update, remove people; list a role's assignments; change a focus in place.</summary>
[Collection(ApiCollection.Name)]
public sealed class PeopleTests(GovernanceApp app)
{
    private static readonly DateTimeOffset NextYear = DateTimeOffset.UtcNow.AddYears(1);

    private static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private static string TypeOf(JsonElement problem) => problem.GetProperty("type").GetString()!.Split('/')[^1];

    private static Task<HttpResponseMessage> JoinAsync(Scenario org, string name, string email, string? externalId) =>
        org.Client.PostAsJsonAsync($"{org.Base}/people", new { name, email, externalId });

    private static Task<HttpResponseMessage> PatchAsync(Scenario org, Guid personId, object body) =>
        org.Client.PatchAsJsonAsync($"{org.Base}/people/{personId}", body);

    private static Task<HttpResponseMessage> RemoveAsync(Scenario org, Guid personId) =>
        org.Client.DeleteAsync($"{org.Base}/people/{personId}");

    private static Task<HttpResponseMessage> RefocusAsync(Scenario org, Guid roleId, Guid personId, object body) =>
        org.Client.PatchAsJsonAsync($"{org.Base}/roles/{roleId}/assignments/{personId}", body);

    private Task<HttpResponseMessage> ElectAsync(Scenario org, Guid circleId, string role, Guid personId) =>
        app.Client.PostAsJsonAsync($"{org.Base}/circles/{circleId}/elections", new { role, personId, termEnds = NextYear });

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];

    [Fact]
    public async Task People_are_found_by_name_email_and_external_id_fifty_a_page_in_the_order_they_joined()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var joined = new List<Guid>();
        for (var i = 0; i < 54; i++) joined.Add(await org.PersonAsync($"Member {i:00}"));
        var ana = await JoinAsync(org, "Ana Lima", "Ana.Lima@Example.org", "auth0|ana");
        ana.StatusCode.Should().Be(HttpStatusCode.Created, await ana.Content.ReadAsStringAsync());
        var anaId = (await ana.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var first = await org.GetAsync("people");
        var second = await org.GetAsync($"people?after={first.GetProperty("next").GetString()}");

        // The founder, the 54 members, Ana: 56 people, 50 on the first page, in the order they joined.
        Ids(first).Should().HaveCount(50);
        Ids(second).Should().HaveCount(6);
        second.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        Ids(first).Concat(Ids(second)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.ContainInOrder([.. joined, anaId]);
        var found = await org.GetAsync("people?q=LIMA");
        found.GetProperty("items").EnumerateArray().Should().ContainSingle().Which.GetRawText().Should().Be(
            JsonSerializer.Serialize(new { id = anaId, name = "Ana Lima", email = "Ana.Lima@Example.org", externalId = "auth0|ana" }));
        Ids(await org.GetAsync("people?email=ana.lima%40example.org")).Should().Equal(anaId);
        Ids(await org.GetAsync("people?externalId=auth0%7Cana")).Should().Equal(anaId);
        Ids(await org.GetAsync("people?externalId=AUTH0%7CANA")).Should().BeEmpty("an external id matches exactly");
        Ids(await org.GetAsync("people?q=member%200&email=member.00%40example.org")).Should().Equal(joined[0]);
        Ids(await org.GetAsync("people?q=member")).Should().HaveCount(50);
        (await org.GetAsync($"people/{anaId}")).GetProperty("externalId").GetString().Should().Be("auth0|ana");
        await (await app.Client.GetAsync($"{org.Base}/people?after=not-a-cursor")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_person_is_updated_detail_by_detail_and_addresses_and_external_ids_stay_unique()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.PersonAsync("Ana");
        var ben = await org.PersonAsync("Ben");
        (await JoinAsync(org, "Cleo", "cleo@example.org", "auth0|cleo")).StatusCode.Should().Be(HttpStatusCode.Created);

        var renamed = await PatchAsync(org, ana, new { name = "  Ana Lima ", email = "ana.lima@example.org", externalId = "auth0|ana" });

        renamed.StatusCode.Should().Be(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetRawText().Should().Be(
            JsonSerializer.Serialize(new { id = ana, name = "Ana Lima", email = "ana.lima@example.org", externalId = "auth0|ana" }));
        var person = await org.GetAsync($"people/{ana}");
        (person.GetProperty("name").GetString(), person.GetProperty("email").GetString()).Should().Be(("Ana Lima", "ana.lima@example.org"));
        var timeline = await org.GetAsync($"people/{ana}/history");
        timeline.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should()
            .Equal("person_joined", "person_renamed", "person_email_changed", "person_external_id_changed");

        var taken = await (await PatchAsync(org, ben, new { email = "ANA.LIMA@example.org" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        TypeOf(taken).Should().Be("email-taken");
        TypeOf(await (await PatchAsync(org, ben, new { externalId = "auth0|cleo" })).ShouldBeProblemAsync(HttpStatusCode.Conflict)).Should().Be("external-id-taken");
        TypeOf(await (await PatchAsync(org, ben, new { email = "not an address" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Should().Be("invalid-email");
        TypeOf(await (await PatchAsync(org, ben, new { name = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Should().Be("invalid-name");
        TypeOf(await (await PatchAsync(org, ben, new { externalId = new string('x', 256) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Should().Be("invalid-external-id");
        TypeOf(await (await PatchAsync(org, Guid.NewGuid(), new { name = "Nobody" })).ShouldBeProblemAsync(HttpStatusCode.NotFound)).Should().Be("person-not-found");
        (await org.GetAsync($"people/{ben}")).GetProperty("email").GetString().Should().Be("ben@example.org", "a refused change changes nothing");

        // Who a token speaks for follows the changes: Ana's subject now, and her new address once she has no subject.
        (await app.ClientFor("ana@example.org", "Ana", subject: "auth0|ana").GetAsync(org.Base)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PatchAsync(org, ana, new { externalId = "" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.GetAsync($"people/{ana}")).GetProperty("externalId").ValueKind.Should().Be(JsonValueKind.Null);
        (await app.ClientFor("ana@example.org", "Ana", subject: "old").GetAsync(org.Base)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.ClientFor("ana.lima@example.org", "Ana", subject: "new").GetAsync(org.Base)).StatusCode.Should().Be(HttpStatusCode.OK);

        // A change to what already is records nothing.
        var before = (await org.GetAsync($"people/{ana}/history")).GetProperty("entries").GetArrayLength();
        (await PatchAsync(org, ana, new { name = "Ana Lima", email = "ana.lima@example.org" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PatchAsync(org, ana, new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await org.GetAsync($"people/{ana}/history")).GetProperty("entries").GetArrayLength().Should().Be(before);
    }

    [Fact]
    public async Task Removing_a_person_ends_each_assignment_and_who_decides_falls_back_to_the_circle_lead_at_once()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana, "EU");
        var facilitator = (await (await ElectAsync(org, cs, "Facilitator", ana)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        var before = await org.WhoDecidesAsync("customer-service/refunds");
        before.GetProperty("decisionMakers").EnumerateArray().Select(m => (m.GetProperty("personId").GetGuid(), m.GetProperty("via").GetString()))
            .Should().Equal((ana, "RoleFiller"));
        var instant = DateTimeOffset.UtcNow;

        (await RemoveAsync(org, ana)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var after = await org.WhoDecidesAsync("customer-service/refunds");
        after.GetProperty("decisionMakers").EnumerateArray().Select(m => (m.GetProperty("personId").GetGuid(), m.GetProperty("via").GetString()))
            .Should().Equal((lena, "CircleLead"));
        after.GetProperty("chain").EnumerateArray().Should().Contain(c =>
            c.GetProperty("rule").GetString() == "RoleUnfilled" && c.GetProperty("citation").GetString() == "Holacracy 5.0 §1.4.2");
        // Each assignment ended by its own event, the elected role's too (it is due for election now); then the removal.
        (await org.GetAsync($"roles/{agent}/history")).EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().EndWith(["person_unassigned_from_role"]);
        (await org.GetAsync($"roles/{facilitator}")).GetProperty("fillers").GetArrayLength().Should().Be(0);
        (await org.GetAsync($"circles/{cs}/elections-due")).GetProperty("items").EnumerateArray()
            .Should().Contain(d => d.GetProperty("role").GetString() == "Facilitator" && d.GetProperty("reason").GetString() == "Unfilled");
        var (_, export) = await ExportAsync(org);
        export.Select(e => e.GetProperty("type").GetString()).TakeLast(3).Should().Equal(
            "person_unassigned_from_role", "person_unassigned_from_role", "person_removed");

        // Gone from every view now, and neither assignable nor electable; a token of theirs speaks for no one.
        await (await app.Client.GetAsync($"{org.Base}/people/{ana}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Ids(await org.GetAsync("people")).Should().NotContain(ana);
        (await org.GetAsync($"people/{lena}/decisions")).ValueKind.Should().Be(JsonValueKind.Object);
        await (await app.Client.PostAsJsonAsync($"{org.Base}/roles/{agent}/assignments", new { personId = ana })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await ElectAsync(org, cs, "Secretary", ana)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await PatchAsync(org, ana, new { name = "Ana again" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await RemoveAsync(org, ana)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await app.ClientOf("Ana").GetAsync(org.Base)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Their history stays: the timeline, and every read as of before.
        (await org.GetAsync($"people/{ana}/history")).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .Should().EndWith(["person_unassigned_from_role", "person_unassigned_from_role", "person_removed"]);
        var then = await org.GetAsync($"people/{ana}?asOf={Instant(instant)}");
        then.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("roleId").GetGuid()).Should().BeEquivalentTo([agent, facilitator]);
        Ids(await org.GetAsync($"people?asOf={Instant(instant)}")).Should().Contain(ana);
        (await org.WhoDecidesAsync("customer-service/refunds", $"&asOf={Instant(instant)}")).GetProperty("decisionMakers").GetRawText()
            .Should().Be(before.GetProperty("decisionMakers").GetRawText());

        // Their address is free again: whoever joins with it is someone new.
        var again = await org.PersonAsync("Ana");
        again.Should().NotBe(ana);
    }

    [Fact]
    public async Task Assignments_racing_a_removal_leave_the_removed_person_in_no_role()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var roles = new List<Guid>();
        (await org.AdoptAsync(org.AnchorCircleId, [.. Enumerable.Range(0, 40).Select(i => Change.CreateRole($"Role {i}"))])).Should().HaveCount(40);
        roles.AddRange((await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("roles").EnumerateArray()
            .Where(r => !r.GetProperty("isCircleLead").GetBoolean()).Select(r => r.GetProperty("id").GetGuid()));
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(roles[0], ana);

        // The removal goes out among the assignments: some are judged before it, some after, some while it runs.
        var assignments = roles.Skip(1).Take(20).Select(Assign).ToList();
        var removal = RemoveAsync(org, ana);
        assignments.AddRange(roles.Skip(21).Select(Assign));
        await Task.WhenAll([.. assignments, removal]);

        (await removal).StatusCode.Should().Be(HttpStatusCode.NoContent);
        foreach (var assigned in assignments) (await assigned).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.NotFound);

        Task<HttpResponseMessage> Assign(Guid role) => app.Client.PostAsJsonAsync($"{org.Base}/roles/{role}/assignments", new { personId = ana });
        foreach (var role in roles)
        {
            (await org.GetAsync($"roles/{role}")).GetProperty("fillers").EnumerateArray().Select(f => f.GetProperty("personId").GetGuid()).Should().NotContain(ana);
        }
        await ShouldEqualAReplayAsync(org.OrgId);
    }

    [Fact]
    public async Task The_last_admin_stays_and_a_removed_admin_is_one_no_longer()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var tester = Ids(await org.GetAsync($"people?email={Uri.EscapeDataString(GovernanceApp.TesterEmail)}")).Single();
        TypeOf(await (await RemoveAsync(org, tester)).ShouldBeProblemAsync(HttpStatusCode.Conflict)).Should().Be("last-admin");
        var ben = await org.PersonAsync("Ben");
        (await app.Client.PostAsJsonAsync($"{org.Base}/admins", new { personId = ben })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await RemoveAsync(org, ben)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // Ben's admin standing ended with him: the tester is the last admin again.
        TypeOf(await (await RemoveAsync(org, tester)).ShouldBeProblemAsync(HttpStatusCode.Conflict)).Should().Be("last-admin");
        (await app.ClientOf("Ben").GetAsync(org.Base)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var (_, export) = await ExportAsync(org);
        export.Select(e => e.GetProperty("type").GetString()).TakeLast(2).Should().Equal("admin_revoked", "person_removed");
    }

    [Fact]
    public async Task Only_admins_update_and_remove_people_and_every_person_finds_them()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ana = await org.PersonAsync("Ana");
        var ben = await org.PersonAsync("Ben");
        var asAna = org.As(app.ClientOf("Ana"));

        Ids(await asAna.GetAsync("people?q=ben")).Should().Equal(ben);
        TypeOf(await (await PatchAsync(asAna, ben, new { name = "Benny" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Should().Be("admins-only");
        TypeOf(await (await RemoveAsync(asAna, ben)).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Should().Be("admins-only");
        TypeOf(await (await PatchAsync(asAna, ana, new { name = "Ana herself" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Should().Be("admins-only");
        var key = (await (await app.Client.PostAsJsonAsync($"{org.Base}/api-keys", new { name = "Directory", scopes = new[] { "registry:read" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var tool = org.As(app.ClientWith(new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key)));
        Ids(await tool.GetAsync("people?q=ana")).Should().Equal(ana);
        TypeOf(await (await RemoveAsync(tool, ana)).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Should().Be("read-only-credential");
        (await org.GetAsync($"people/{ben}")).GetProperty("name").GetString().Should().Be("Ben");
    }

    [Fact]
    public async Task A_role_lists_its_assignments_and_the_circle_lead_changes_a_focus_in_place()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena, "Strategy");
        var asLena = org.As(app.ClientOf("Lena"));
        var (ana, ben) = (await org.PersonAsync("Ana"), await org.PersonAsync("Ben"));
        await asLena.AssignAsync(agent, ana, "EU");
        await asLena.AssignAsync(agent, ben);
        var facilitator = (await (await ElectAsync(org, cs, "Facilitator", ana)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roleId").GetGuid();
        var instant = DateTimeOffset.UtcNow;

        var changed = await RefocusAsync(asLena, agent, ana, new { focus = " Nordics " });

        changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetRawText().Should().Be(JsonSerializer.Serialize(new { roleId = agent, personId = ana, focus = "Nordics" }));
        (await org.GetAsync($"roles/{agent}/assignments")).GetRawText().Should().Be(JsonSerializer.Serialize(new object[]
        {
            new { personId = ana, name = "Ana", focus = "Nordics", termEnds = (DateTimeOffset?)null },
            new { personId = ben, name = "Ben", focus = (string?)null, termEnds = (DateTimeOffset?)null },
        }));
        (await org.GetAsync($"roles/{agent}/assignments?asOf={Instant(instant)}"))[0].GetProperty("focus").GetString().Should().Be("EU");
        (await org.GetAsync($"roles/{agent}/history")).EnumerateArray().Last().GetProperty("type").GetString().Should().Be("assignment_focus_changed");
        (await org.WhoDecidesAsync("customer-service/refunds")).GetProperty("decisionMakers").EnumerateArray()
            .Single(m => m.GetProperty("personId").GetGuid() == ana).GetProperty("focus").GetString().Should().Be("Nordics");
        (await RefocusAsync(asLena, agent, ben, new { focus = (string?)null })).StatusCode.Should().Be(HttpStatusCode.OK);

        // An elected role lists its holder's term; a Circle Lead role its circle's fillers (§1.4).
        (await org.GetAsync($"roles/{facilitator}/assignments"))[0].GetProperty("termEnds").GetDateTimeOffset().Should().BeCloseTo(NextYear, TimeSpan.FromSeconds(1));
        var leadRole = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("isCircleLead").GetBoolean()).GetProperty("id").GetGuid();
        (await org.GetAsync($"roles/{leadRole}/assignments")).EnumerateArray().Select(a => (a.GetProperty("personId").GetGuid(), a.GetProperty("focus").GetString()))
            .Should().Equal((lena, "Strategy"));
        await (await app.Client.GetAsync($"{org.Base}/roles/{Guid.NewGuid()}/assignments")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // Only the circle's Circle Lead (or an admin); only an assignment that exists; not an elected role; a focus of at most 200 characters.
        await (await RefocusAsync(org.As(app.ClientOf("Ana")), agent, ana, new { focus = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Holacracy 5.0 §1.4.1");
        TypeOf(await (await RefocusAsync(asLena, agent, lena, new { focus = "Me" })).ShouldBeProblemAsync(HttpStatusCode.NotFound)).Should().Be("assignment-not-found");
        await (await RefocusAsync(org, facilitator, ana, new { focus = "Meetings" })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.3.5");
        TypeOf(await (await RefocusAsync(asLena, agent, ana, new { focus = new string('f', 201) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Should().Be("invalid-focus");
        await (await RefocusAsync(asLena, agent, ana, new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await org.GetAsync($"roles/{agent}/assignments"))[0].GetProperty("focus").GetString().Should().Be("Nordics");
    }

    [Fact]
    public async Task The_stored_people_equal_a_replay_after_changes_and_removals()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Bookkeeper", "finance");
        var (ana, ben) = (await org.PersonAsync("Ana"), await org.PersonAsync("Ben"));
        await org.AssignAsync(role, ana, "Invoices");
        (await PatchAsync(org, ana, new { name = "Ana Lima", externalId = "auth0|ana" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RefocusAsync(org, role, ana, new { focus = "Payroll" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RemoveAsync(org, ben)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await ShouldEqualAReplayAsync(org.OrgId);
    }

    /// <summary>The stored registry documents of the organisation equal a full replay of its events (the verify command's check).</summary>
    private async Task ShouldEqualAReplayAsync(Guid orgId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var report = new List<string>();
        (await RegistryVerification.CompareAsync(orgId, session, report.Add, CancellationToken.None)).Should().Be(0, string.Join("\n", report));
    }

    private async Task<(HttpResponseMessage Response, List<JsonElement> Events)> ExportAsync(Scenario org)
    {
        var response = await app.Client.GetAsync($"{org.Base}/events");
        var text = await response.Content.ReadAsStringAsync();
        return (response, [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())]);
    }
}
