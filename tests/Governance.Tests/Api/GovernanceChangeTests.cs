using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class GovernanceChangeTests(GovernanceApp app)
{
    [Fact]
    public async Task Creating_a_role_records_purpose_accountabilities_and_domains_and_bumps_the_circle_version()
    {
        var org = await Scenario.FoundAsync(app.Client);

        var response = await org.GovernAsync(org.AnchorCircleId,
            Change.CreateRole("Support Agent", "Customers get help", ["Answering tickets", "Refunding customers"], ["customer-service/refunds"]));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("version").GetInt64().Should().Be(1);
        var result = body.GetProperty("results").EnumerateArray().Should().ContainSingle().Subject;
        result.GetProperty("op").GetString().Should().Be("createRole");
        var roleId = result.GetProperty("roleId").GetGuid();

        var role = await org.GetAsync($"roles/{roleId}");
        role.GetProperty("name").GetString().Should().Be("Support Agent");
        role.GetProperty("purpose").GetString().Should().Be("Customers get help");
        role.GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        role.GetProperty("isCircle").GetBoolean().Should().BeFalse();
        role.GetProperty("accountabilities").EnumerateArray().Select(a => a.GetString()).Should().Equal("Answering tickets", "Refunding customers");
        role.GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("key").GetString()).Should().Equal("customer-service/refunds");
        role.GetProperty("fillers").GetArrayLength().Should().Be(0);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Results_answer_the_changes_in_order()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var first = await org.RoleAsync(org.AnchorCircleId, "First");

        var ids = await org.AdoptAsync(org.AnchorCircleId,
            Change.AddAccountability(first, "Doing things"),
            Change.CreateRole("Second"),
            Change.UpdateRole(first, name: "First Renamed"));

        ids.Should().HaveCount(3);
        ids[0].Should().Be(first);
        ids[2].Should().Be(first);
        (await org.GetAsync($"roles/{ids[1]}")).GetProperty("name").GetString().Should().Be("Second");
        (await org.GetAsync($"roles/{first}")).GetProperty("name").GetString().Should().Be("First Renamed");
    }

    [Fact]
    public async Task A_new_circle_gets_its_circle_lead_role_and_may_grant_parts_of_its_domains()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");

        var circle = await org.GetAsync($"circles/{cs}");
        circle.GetProperty("roles").EnumerateArray().Should().ContainSingle(r => r.GetProperty("name").GetString() == "Circle Lead");

        var refunds = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        (await org.GetAsync($"roles/{refunds}")).GetProperty("circleId").GetGuid().Should().Be(cs);
    }

    [Fact]
    public async Task A_circle_cannot_grant_a_domain_outside_its_own_domains()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");

        var response = await org.GovernAsync(cs, Change.CreateRole("Marketer", domains: ["marketing/brand"]));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");
        problem.GetProperty("detail").GetString().Should().Contain("marketing/brand").And.Contain("customer-service");
        problem.GetProperty("changeIndex").GetInt32().Should().Be(0);
        var circle = await org.GetAsync($"circles/{cs}");
        circle.GetProperty("version").GetInt64().Should().Be(0);
        circle.GetProperty("roles").GetArrayLength().Should().Be(1);
    }

    [Theory]
    [InlineData("customer-service", "customer-service")]
    [InlineData("customer-service", "customer-service/refunds")]
    [InlineData("customer-service/refunds", "customer-service")]
    public async Task Within_a_circle_no_two_roles_hold_the_same_or_overlapping_domains(string held, string claimed)
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.RoleAsync(org.AnchorCircleId, "Holder", held);

        var response = await org.GovernAsync(org.AnchorCircleId, Change.CreateRole("Claimer", domains: [claimed]));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.1(b)");
    }

    [Fact]
    public async Task A_rejected_batch_leaves_no_trace()
    {
        var org = await Scenario.FoundAsync(app.Client);

        var response = await org.GovernAsync(org.AnchorCircleId,
            Change.CreateRole("Valid Role", domains: ["finance"]),
            Change.CreateRole("Clashing Role", domains: ["finance/invoices"]));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.1(b)");
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(0);
        (await org.GetAsync("roles?q=Valid")).GetProperty("items").GetArrayLength().Should().Be(0);
        (await org.WhoDecidesAsync("finance")).GetProperty("status").GetString().Should().Be("NoDomain");
    }

    [Fact]
    public async Task The_circle_lead_role_can_neither_be_removed_nor_get_another_purpose()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var lead = (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("roles")[0].GetProperty("id").GetGuid();

        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveRole(lead)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.4.5");
        await (await org.GovernAsync(org.AnchorCircleId, Change.UpdateRole(lead, purpose: "Something else")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.4.5");
        await org.AdoptAsync(org.AnchorCircleId, Change.AddAccountability(lead, "Assigning roles"));
    }

    [Fact]
    public async Task Roles_are_amended_one_element_at_a_time()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Bookkeeper", "finance/books");

        await org.AdoptAsync(org.AnchorCircleId,
            Change.UpdateRole(role, purpose: "Books are right"),
            Change.AddAccountability(role, "Recording invoices"),
            Change.AddDomain(role, "finance/receipts", "receipt", "expense"),
            Change.RemoveDomain(role, "finance/books"));

        var read = await org.GetAsync($"roles/{role}");
        read.GetProperty("purpose").GetString().Should().Be("Books are right");
        read.GetProperty("accountabilities").EnumerateArray().Select(a => a.GetString()).Should().Equal("Recording invoices");
        read.GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("key").GetString()).Should().Equal("finance/receipts");
        read.GetProperty("domains")[0].GetProperty("keywords").EnumerateArray().Select(k => k.GetString()).Should().Equal("receipt", "expense");

        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveAccountability(role, "Recording invoices"));
        (await org.GetAsync($"roles/{role}")).GetProperty("accountabilities").GetArrayLength().Should().Be(0);
        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveAccountability(role, "Never had it")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveDomain(role, "finance/books")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_circle_keeps_a_domain_while_its_roles_hold_parts_of_it()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var refunds = await org.RoleAsync(cs, "Refunds", "customer-service/refunds");

        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveDomain(cs, "customer-service")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");

        await org.AdoptAsync(cs, Change.RemoveDomain(refunds, "customer-service/refunds"));
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveDomain(cs, "customer-service"));
    }

    [Fact]
    public async Task A_role_converted_to_a_circle_keeps_its_domains_and_can_hold_roles()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var sales = await org.RoleAsync(org.AnchorCircleId, "Sales", "sales");

        await org.AdoptAsync(org.AnchorCircleId, Change.ConvertToCircle(sales));

        var circle = await org.GetAsync($"circles/{sales}");
        circle.GetProperty("isCircle").GetBoolean().Should().BeTrue();
        circle.GetProperty("domains")[0].GetProperty("key").GetString().Should().Be("sales");
        circle.GetProperty("roles").EnumerateArray().Should().ContainSingle(r => r.GetProperty("isCircleLead").GetBoolean());
        await org.RoleAsync(sales, "Account Executive", "sales/deals");
        await (await org.GovernAsync(org.AnchorCircleId, Change.ConvertToCircle(sales)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.1");
    }

    [Fact]
    public async Task Removing_a_role_frees_its_domain_and_keeps_its_history()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var role = await org.RoleAsync(org.AnchorCircleId, "Temporary", "projects/temp");
        var person = await org.PersonAsync("Tim");
        await org.AssignAsync(role, person);

        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(role));

        await (await app.Client.GetAsync($"{org.Base}/roles/{role}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.GetAsync($"people/{person}")).GetProperty("roles").GetArrayLength().Should().Be(0);
        (await org.WhoDecidesAsync("projects/temp")).GetProperty("status").GetString().Should().Be("NoDomain");
        var history = await org.GetAsync($"roles/{role}/history");
        history.EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().EndWith(["person_unassigned_from_role", "role_removed"]);
        await org.RoleAsync(org.AnchorCircleId, "Successor", "projects/temp");
    }

    [Fact]
    public async Task A_circle_with_roles_is_not_removed_until_they_are()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var inner = await org.RoleAsync(ops, "Office Manager", "ops/office");

        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveRole(ops))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

        await org.AdoptAsync(ops, Change.RemoveRole(inner));
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(ops));
        await (await app.Client.GetAsync($"{org.Base}/circles/{ops}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_circle_changes_only_its_own_roles()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var inner = await org.RoleAsync(ops, "Office Manager", "ops/office");

        await (await org.GovernAsync(org.AnchorCircleId, Change.UpdateRole(inner, name: "Hijacked")))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.GovernAsync(org.AnchorCircleId, Change.RemoveRole(Guid.NewGuid())))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var plainRole = await org.RoleAsync(org.AnchorCircleId, "Plain");
        await (await org.GovernAsync(plainRole, Change.CreateRole("Inside A Role")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.1");
        await (await org.GovernAsync(Guid.NewGuid(), Change.CreateRole("Nowhere"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task If_match_guards_against_changes_made_since_the_circle_was_read()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.RoleAsync(org.AnchorCircleId, "One");

        (await SendWithIfMatch(org, "\"1\"", Change.CreateRole("Two"))).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await SendWithIfMatch(org, "\"1\"", Change.CreateRole("Three"))).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await SendWithIfMatch(org, "\"banana\"", Change.CreateRole("Three"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Concurrent_batches_claiming_one_domain_leave_exactly_one_holder(int earlierChanges)
    {
        // From version 0 the racers collide on opening the governance log; later on its expected version.
        var org = await Scenario.FoundAsync(app.Client);
        for (var i = 0; i < earlierChanges; i++) await org.RoleAsync(org.AnchorCircleId, $"Earlier {i}");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            org.GovernAsync(org.AnchorCircleId, Change.CreateRole($"Claimer {i}", domains: ["contested"]))));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.StatusCode)
            .Should().OnlyContain(s => s == HttpStatusCode.Conflict || s == HttpStatusCode.UnprocessableEntity);
        var circle = await org.GetAsync($"circles/{org.AnchorCircleId}");
        circle.GetProperty("version").GetInt64().Should().Be(earlierChanges + 1);
        circle.GetProperty("roles").GetArrayLength().Should().Be(earlierChanges + 2);
        (await org.WhoDecidesAsync("contested")).GetProperty("status").GetString().Should().Be("Unfilled");
    }

    [Theory]
    [InlineData("{\"changes\":[{\"op\":\"teleportRole\"}]}")]
    [InlineData("{\"changes\":[{\"op\":\"updateRole\"}]}")]
    [InlineData("{\"changes\":[{\"op\":\"createRole\"}]}")]
    [InlineData("{\"changes\":[{\"op\":\"addDomain\",\"roleId\":\"not-a-guid\",\"domain\":{\"key\":\"a\",\"title\":\"A\"}}]}")]
    [InlineData("{\"changes\":[]}")]
    [InlineData("{\"changes\":[{\"op\":\"createRole\",\"name\":\"x\",\"domains\":[{\"key\":\"Not A Key\",\"title\":\"t\"}]}]}")]
    [InlineData("{\"changes\":[{\"op\":\"createRole\",\"name\":\"x\",\"domains\":[{\"key\":\"a//b\",\"title\":\"t\"}]}]}")]
    [InlineData("{\"changes\":[{\"op\":\"createRole\",\"name\":\"x\",\"domains\":[{\"key\":\"ok\",\"title\":\"\"}]}]}")]
    [InlineData("{\"changes\":[{\"op\":\"createRole\",\"name\":\"  \"}]}")]
    [InlineData("{\"changes\":[{\"op\":\"updateRole\",\"roleId\":\"00000000-0000-0000-0000-000000000001\"}]}")]
    [InlineData("{\"changes\":[{\"op\":")]
    [InlineData("not json at all")]
    [InlineData("{}")]
    public async Task Malformed_governance_requests_are_400_problems(string body)
    {
        var org = await Scenario.FoundAsync(app.Client);
        await org.RoleAsync(org.AnchorCircleId, "Existing");

        var response = await app.Client.PostAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance",
            new StringContent(body, Encoding.UTF8, "application/json"));

        var status = response.StatusCode;
        status.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        await response.ShouldBeProblemAsync(status);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_a_problem()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var huge = JsonSerializer.Serialize(new { changes = new[] { Change.CreateRole("Big", purpose: new string('a', 2 * 1024 * 1024)) } });

        var response = await app.Client.PostAsync($"{org.Base}/circles/{org.AnchorCircleId}/governance",
            new StringContent(huge, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("version").GetInt64().Should().Be(0);
    }

    private async Task<HttpResponseMessage> SendWithIfMatch(Scenario org, string ifMatch, params object[] changes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{org.Base}/circles/{org.AnchorCircleId}/governance")
        {
            Content = JsonContent.Create(new { changes }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await app.Client.SendAsync(request);
    }
}
