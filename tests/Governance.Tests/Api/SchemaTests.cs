using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.GovernanceChanges;
using Governance.Organisations;
using Governance.Roles;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;

namespace Governance.Tests.Api;

/// <summary>The committed JSON Schemas in schemas/ describe exactly what the service stores and sends.</summary>
[Collection(ApiCollection.Name)]
public sealed class SchemaTests(GovernanceApp app)
{
    private static readonly string SchemaRoot = Path.Combine(AppContext.BaseDirectory, "schemas");
    private static readonly Guid A = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly Guid B = Guid.Parse("0190a000-0000-7000-8000-000000000002");

    /// <summary>One realistic sample of every event type, as the event store holds it.</summary>
    internal static readonly object[] Samples =
    [
        new OrganisationFounded(A, "Acme", B),
        new AdminGranted(A, B),
        new AdminRevoked(A, B),
        new ApiKeyCreated(A, B, "Support desk", ["registry:read"], new string('a', 64)),
        new ApiKeyRevoked(A, B),
        new People.PersonJoined(A, B, "Ana", "ana@example.org"),
        new People.PersonJoined(A, B, "Ana", "ana@example.org", "auth0|ana"),
        new RoleCreated(A, B, B, "Refunds Agent", "Customers get their money back", false, false, null),
        new RoleCreated(A, B, null, "Acme", "", true, false, B),
        new RoleRenamed(A, "Refunds Lead"),
        new RolePurposeChanged(A, "Fair refunds"),
        new AccountabilityAdded(A, "Refunding customers"),
        new AccountabilityRemoved(A, "Refunding customers"),
        new DomainDelegated(A, B, B, "customer-service/refunds", "Refunds", ["refund", "money back"]),
        new DomainRevoked(A, "customer-service/refunds"),
        new RoleConvertedToCircle(A, B),
        new RoleRemoved(A),
        new RoleMoved(A, B, A, B, [new HeldDomain("ops/office", "Office", ["desk"])]),
        new PersonAssignedToRole(A, B, "EU"),
        new PersonAssignedToRole(A, B, null),
        new PersonUnassignedFromRole(A, B),
        new GovernanceChangesAdopted(A, B, [new AdoptedChange("createRole", B), new AdoptedChange("addPolicy", null)]),
        new PolicyAdopted(A, B, A, "Refund limit", "Agents refund up to 500 EUR.", "customer-service/refunds", [new PolicyGrant(B, 500m, "EUR"), new PolicyGrant(A, null, null)]),
        new PolicyAmended(A, B, "Refund limit", "Agents refund up to 750 EUR.", null, []),
        new PolicyRemoved(A, B),
        new RoleCreated(A, B, B, "Facilitator", "Circle governance aligned with the Constitution.", false, false, null, ElectedRoles.Facilitator),
        new Proposals.ProposalSubmitted(A, B, B, A, "Refunds wait for a manager", [new CreateRole("Refunds Agent", Domains: [new DomainInput("refunds", "Refunds")]), new RemoveRole(B)]),
        new Proposals.ProposalAmended(A, [new AddPolicy(new PolicyInput("Limit", "Up to 500", null, [new GrantInput(B, 500, "EUR")]))]),
        new Proposals.ObjectionRaised(A, B, A, "It would remove the only refund path."),
        new Proposals.ObjectionRaised(A, B, A, "Harmful", new Proposals.ObjectionTests(true, true, null, true)),
        new Proposals.ObjectionIntegrated(A, B, [new UpdateRole(A, Name: "Refunds")]),
        new Proposals.ProposalAdopted(A, B, 3),
        new Proposals.ProposalWithdrawn(A),
        new Proposals.ProposalSubmitted(A, B, B, A, "Refunds wait for a manager", [new CreateRole("Refunds Agent")], new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)),
        new Proposals.ProposalAdopted(A, B, 4, Proposals.AdoptionReasons.Deadline),
        new Proposals.ResponseGiven(A, B, Proposals.Responses.NoObjection, null, null, 0, new DateTimeOffset(2027, 1, 3, 9, 0, 0, TimeSpan.Zero)),
        new Proposals.ResponseGiven(A, B, Proposals.Responses.Objection, "It removes the only refund path.", A, 1, new DateTimeOffset(2027, 1, 3, 9, 0, 0, TimeSpan.Zero)),
        new Proposals.ProposalSentToMeeting(A, B, "A Circle Member asked to bring it to a governance meeting."),
        new Proposals.ProposalSentToMeeting(A, null, "The response deadline passed with 1 objection(s) open."),
        new PolicyAdopted(A, B, A, "Time to answer", "Two days for every proposal.", null, [], 48),
        new Proposals.ProposalAdopted(A, B, 5, null, B),
        new Proposals.ProposalDiscarded(A, "No tension of a role of the proposer."),
        new GovernanceChangesAdopted(A, B, [new AdoptedChange("createRole", B)], null, A),
        new Meetings.MeetingOpened(A, B, B, Meetings.MeetingKinds.Governance, [A, B], new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero), [A]),
        new Meetings.MeetingOutputRecorded(A, Meetings.MeetingOutputs.Adoption, B, 6, null, null),
        new Meetings.MeetingOutputRecorded(A, Meetings.MeetingOutputs.Election, null, null, B, A),
        new Meetings.MeetingClosed(A, new DateTimeOffset(2027, 1, 4, 10, 30, 0, TimeSpan.Zero)),
        new PersonElectedToRole(A, B, new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero)),
        new InterpretationRuled(A, B, "May the agent refund twice?", "Yes: the domain covers every refund.", "customer-service/refunds", B, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)),
        new InterpretationRuled(A, B, "Does §4.1 apply here?", "It does.", null, null, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)),
        new InterpretationRulingWithdrawn(A, B, "The policy it interpreted was amended."),
        new GovernanceChangesAdopted(A, B, [new AdoptedChange("removeRole", A)], null, null, new StruckRecord(3, "Facilitator duties are elected (§1.3.5).")),
        new CircleConvertedToRole(A),
        new PolicyRemoved(A, B, A),
        new PolicyAdopted(A, B, A, "Office spending", "Up to 100 EUR.", "ops/office", [new PolicyGrant(B, 100m, "EUR")], null, B),
        new People.PersonRenamed(A, "Ana Lima"),
        new People.PersonEmailChanged(A, "ana.lima@example.org"),
        new People.PersonExternalIdChanged(A, "auth0|ana"),
        new People.PersonExternalIdChanged(A, null),
        new People.PersonRemoved(A),
        new AssignmentFocusChanged(A, B, "EU"),
        new AssignmentFocusChanged(A, B, null),
    ];

    private static async Task<JsonSchema> SchemaAsync(string relative) =>
        await JsonSchema.FromFileAsync(Path.Combine(SchemaRoot, relative));

    private string Serialise(object e) => app.Services.GetRequiredService<IDocumentStore>().Options.Serializer().ToJson(e);

    [Fact]
    public void Every_event_type_has_a_schema_and_every_event_schema_an_event_type()
    {
        var files = Directory.GetFiles(Path.Combine(SchemaRoot, "events"), "*.json").Select(Path.GetFileNameWithoutExtension);

        var registered = app.RegisteredEventTypes();
        files.Should().BeEquivalentTo(registered.Select(t => t.Name));
        Samples.Select(s => s.GetType()).Distinct().Should().BeEquivalentTo(registered);
    }

    [Fact]
    public async Task Every_event_as_stored_validates_against_its_schema()
    {
        foreach (var sample in Samples)
        {
            var file = Path.Combine(SchemaRoot, "events", $"{sample.GetType().Name}.json");
            JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("$schema").GetString()
                .Should().Be("https://json-schema.org/draft/2020-12/schema");
            var schema = await JsonSchema.FromFileAsync(file);
            var json = Serialise(sample);
            schema.Validate(json).Should().BeEmpty($"{sample.GetType().Name} serialises as {json}");
        }
    }

    [Fact]
    public async Task A_schema_rejects_an_event_that_lacks_a_field_or_has_a_bad_key()
    {
        var domain = await SchemaAsync("events/DomainDelegated.json");
        var valid = JsonDocument.Parse(Serialise(Samples.OfType<DomainDelegated>().First())).RootElement;
        var withoutKey = JsonSerializer.Serialize(valid.EnumerateObject().Where(p => p.Name != "key").ToDictionary(p => p.Name, p => p.Value));
        var badKey = valid.ToString().Replace("customer-service/refunds", "Customer Service", StringComparison.Ordinal);

        domain.Validate(withoutKey).Should().NotBeEmpty();
        domain.Validate(badKey).Should().NotBeEmpty();
    }

    [Fact]
    public async Task The_request_bodies_the_tests_send_match_the_request_schemas()
    {
        var request = await SchemaAsync("api/GovernanceRequest.json");
        var id = Guid.NewGuid();
        object[] changes =
        [
            Change.CreateRole("R", "P", ["A"], ["a/b"], isCircle: true), Change.UpdateRole(id, name: "N"),
            Change.AddAccountability(id, "T"), Change.RemoveAccountability(id, "T"), Change.AddDomain(id, "a", "k"),
            Change.RemoveDomain(id, "a"), Change.ConvertToCircle(id), Change.RemoveRole(id),
            Change.AddPolicy(Change.Policy("P", "a", Change.Grant(id, 500, "EUR"), Change.Grant(id))),
            Change.AmendPolicy(id, Change.Policy("P")), Change.RemovePolicy(id),
            Change.MoveRole(id, id), Change.RemoveRole(id, "moveUp"), Change.MoveRole(id, id, id), Change.ConvertToRole(id, "remove"),
        ];

        request.Validate(JsonSerializer.Serialize(new { changes })).Should().BeEmpty();
        request.Validate(JsonSerializer.Serialize(new { changes = new[] { new { op = "teleportRole" } } })).Should().NotBeEmpty();
        (await SchemaAsync("api/FoundOrganisation.json")).Validate("{\"name\":\"Acme\"}").Should().BeEmpty();
        (await SchemaAsync("api/JoinPerson.json")).Validate("{\"name\":\"Ana\",\"email\":\"ana@example.org\"}").Should().BeEmpty();
        (await SchemaAsync("api/DecisionBatchRequest.json")).Validate("{\"questions\":[{\"domain\":\"a/b\",\"amount\":3,\"currency\":\"EUR\"}]}").Should().BeEmpty();
        (await SchemaAsync("api/AssignPerson.json")).Validate($"{{\"personId\":\"{id}\",\"focus\":null}}").Should().BeEmpty();
        (await SchemaAsync("api/RespondToProposal.json")).Validate("{\"response\":\"objection\",\"reason\":\"Harmful\",\"tests\":{\"reducesCapacity\":true}}").Should().BeEmpty();
        (await SchemaAsync("api/RespondToProposal.json")).Validate("{\"response\":\"maybe\"}").Should().NotBeEmpty();
        (await SchemaAsync("api/RuleOnInterpretation.json")).Validate("{\"question\":\"Q?\",\"ruling\":\"R.\",\"domainKey\":\"a/b\"}").Should().BeEmpty();
        (await SchemaAsync("api/WithdrawRuling.json")).Validate("{\"reason\":\"Amended\"}").Should().BeEmpty();
        (await SchemaAsync("api/StrikeGovernance.json")).Validate(JsonSerializer.Serialize(new { reason = "§1.3.5", changes = new[] { Change.RemoveRole(id) } })).Should().BeEmpty();
        (await SchemaAsync("api/StrikeGovernance.json")).Validate(JsonSerializer.Serialize(new { changes = new[] { Change.RemoveRole(id) } })).Should().NotBeEmpty();
        (await SchemaAsync("api/JoinPerson.json")).Validate("{\"name\":\"Ana\",\"email\":\"ana@example.org\",\"externalId\":\"auth0|ana\"}").Should().BeEmpty();
        (await SchemaAsync("api/UpdatePerson.json")).Validate("{\"name\":\"Ana Lima\",\"externalId\":\"\"}").Should().BeEmpty();
        (await SchemaAsync("api/UpdatePerson.json")).Validate("{\"nickname\":\"Ana\"}").Should().NotBeEmpty();
        (await SchemaAsync("api/ChangeFocus.json")).Validate("{\"focus\":null}").Should().BeEmpty();
        (await SchemaAsync("api/ChangeFocus.json")).Validate("{}").Should().NotBeEmpty();
        (await SchemaAsync("api/SubmitProposal.json")).Validate("{\"tension\":\"T\",\"changes\":[{\"op\":\"removeRole\",\"roleId\":\"0190a000-0000-7000-8000-000000000001\"}],\"respondBy\":\"2027-01-04T09:00:00Z\"}").Should().BeEmpty();
    }

    [Fact]
    public async Task Responses_of_a_live_scenario_match_the_response_schemas()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var governance = await org.GovernAsync(cs, Change.CreateRole("Refunds Agent", "Refunds", ["Refunding"], ["customer-service/refunds"]));
        var agent = (await governance.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0].GetProperty("roleId").GetGuid();
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana, "EU");
        var problem = await org.GovernAsync(cs, Change.CreateRole("Outsider", domains: ["marketing"]));
        var lena = await org.PersonAsync("Lena");
        await org.AssignAsync(cs, lena);
        var proposal = await org.ProposalAsync(cs, ana, Change.CreateRole("Proposed"), Change.AddPolicy(Change.Policy("P", null, Change.Grant(agent, 10, "EUR"))));
        await org.ProposalStepAsync(proposal, "objections", new { objectorId = ana, reason = "Because" });
        await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/elections", new { role = "Facilitator", personId = ana, termEnds = DateTimeOffset.UtcNow.AddDays(1) });
        var asynchronous = await org.ProposalAsync(cs, ana, DateTimeOffset.UtcNow.AddHours(1), Change.CreateRole("Later"));
        var response = await org.RespondAsync(asynchronous, lena, "objection", "Not yet");
        var meeting = (await (await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/meetings", new { kind = "governance", attendees = new[] { ana, lena } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await org.GovernAsync(cs, Change.CreateRole("Decided in a meeting"));
        var renamed = await app.Client.PatchAsJsonAsync($"{org.Base}/people/{lena}", new { name = "Lena Berg", externalId = "auth0|lena" });
        var refocused = await app.Client.PatchAsJsonAsync($"{org.Base}/roles/{agent}/assignments/{ana}", new { focus = "Nordics" });
        var inMeeting = await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/governance", new { changes = new[] { Change.CreateRole("In the meeting") }, meetingId = meeting });
        var inMeetingVersion = (await inMeeting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        var inMeetingRole = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "In the meeting").GetProperty("id").GetGuid();
        (await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/governance/{inMeetingVersion}/strike", new { reason = "Test strike", changes = new[] { Change.RemoveRole(inMeetingRole) } }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var ruling = await app.Client.PostAsJsonAsync($"{org.Base}/circles/{cs}/rulings", new { question = "Q?", ruling = "R.", domainKey = "customer-service/refunds" });

        var checks = new (string Schema, string Json)[]
        {
            ("api/GovernanceResponse.json", await governance.Content.ReadAsStringAsync()),
            ("api/RoleResponse.json", (await org.GetAsync($"roles/{agent}")).ToString()),
            ("api/CircleResponse.json", (await org.GetAsync($"circles/{cs}")).ToString()),
            ("api/RulingResponse.json", await ruling.Content.ReadAsStringAsync()),
            ("api/GovernanceRecords.json", (await org.GetAsync($"circles/{cs}/governance")).ToString()),
            ("api/RolePage.json", (await org.GetAsync("roles?limit=1")).ToString()),
            ("api/PersonResponse.json", (await org.GetAsync($"people/{ana}")).ToString()),
            ("api/PersonDecisionsResponse.json", (await org.GetAsync($"people/{ana}/decisions")).ToString()),
            ("api/PersonTimeline.json", (await org.GetAsync($"people/{ana}/history")).ToString()),
            ("api/DomainTimeline.json", (await org.GetAsync("domains/customer-service%2Frefunds/history")).ToString()),
            ("api/DecisionResponse.json", (await org.WhoDecidesAsync("customer-service/refunds/eu")).ToString()),
            ("api/DecisionResponse.json", (await org.WhoDecidesAsync("nothing/here")).ToString()),
            ("api/Problem.json", await problem.Content.ReadAsStringAsync()),
            ("api/DecisionResponse.json", (await org.WhoDecidesAsync("customer-service/refunds", "&amount=5&currency=EUR")).ToString()),
            ("api/DecisionBatchResponse.json", await (await app.Client.PostAsJsonAsync($"{org.Base}/decision-makers:batch",
                new { questions = new object[] { new { domain = "customer-service" }, new { domain = "x", amount = 3, currency = "EUR" } } })).Content.ReadAsStringAsync()),
            ("api/ProposalResponse.json", (await org.GetAsync($"proposals/{proposal}")).ToString()),
            ("api/ResponseRecorded.json", await response.Content.ReadAsStringAsync()),
            ("api/ProposalResponse.json", (await org.GetAsync($"proposals/{asynchronous}")).ToString()),
            ("api/ProposalPage.json", (await org.GetAsync($"proposals?circleId={cs}")).ToString()),
            ("api/MeetingResponse.json", (await org.GetAsync($"meetings/{meeting}")).ToString()),
            ("api/PersonPage.json", (await org.GetAsync("people")).ToString()),
            ("api/PersonPage.json", (await org.GetAsync("people?q=lena&externalId=auth0%7Clena")).ToString()),
            ("api/PersonSummary.json", await renamed.Content.ReadAsStringAsync()),
            ("api/AssignmentResponse.json", await refocused.Content.ReadAsStringAsync()),
            ("api/RoleAssignments.json", (await org.GetAsync($"roles/{agent}/assignments")).ToString()),
            ("api/RoleAssignments.json", (await org.GetAsync($"roles/{ElectedRoles.RoleIdOf(cs, ElectedRoles.Facilitator)}/assignments")).ToString()),
            ("api/ElectionsDueResponse.json", (await org.GetAsync($"circles/{cs}/elections-due?at=2100-01-01T00:00:00Z")).ToString()),
        };
        foreach (var (schema, json) in checks)
        {
            (await SchemaAsync(schema)).Validate(json).Should().BeEmpty($"{schema} should describe {json}");
        }
        var history = await SchemaAsync("api/HistoryEntry.json");
        foreach (var entry in (await org.GetAsync($"roles/{agent}/history")).EnumerateArray())
        {
            history.Validate(entry.ToString()).Should().BeEmpty();
        }
    }
}
