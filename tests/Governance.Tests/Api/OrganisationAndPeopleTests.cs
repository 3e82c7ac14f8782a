using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class OrganisationAndPeopleTests(GovernanceApp app)
{
    [Fact]
    public async Task Founding_an_organisation_creates_its_anchor_circle_with_a_circle_lead_role()
    {
        var response = await app.Client.PostAsJsonAsync("/api/orgs", new { name = "Zebra Co" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var orgId = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().Should().Be($"/api/orgs/{orgId}");
        var org = new Scenario(app.Client, orgId, created.GetProperty("anchorCircleId").GetGuid());

        var read = await org.GetAsync($"/api/orgs/{orgId}");
        read.GetProperty("name").GetString().Should().Be("Zebra Co");
        read.GetProperty("anchorCircleId").GetGuid().Should().Be(org.AnchorCircleId);

        var anchor = await org.GetAsync($"circles/{org.AnchorCircleId}");
        anchor.GetProperty("isCircle").GetBoolean().Should().BeTrue();
        anchor.GetProperty("circleId").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        anchor.GetProperty("version").GetInt64().Should().Be(0);
        anchor.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString())
            .Should().Equal("Circle Lead");
    }

    [Theory]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"   \"}")]
    [InlineData("{}")]
    [InlineData("{\"name\":null}")]
    [InlineData("[]")]
    public async Task An_organisation_needs_a_name(string body)
    {
        var response = await app.Client.PostAsync("/api/orgs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_organisation_is_a_404_problem()
    {
        var response = await app.Client.GetAsync($"/api/orgs/{Guid.NewGuid()}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_person_joins_and_shows_the_roles_they_fill_with_focus()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var support = await org.RoleAsync(org.AnchorCircleId, "Support Agent");
        var ana = await org.PersonAsync("Ana Lopez", "ana@example.org");
        await org.AssignAsync(support, ana, focus: "EU customers");

        var person = await org.GetAsync($"people/{ana}");

        person.GetProperty("name").GetString().Should().Be("Ana Lopez");
        person.GetProperty("email").GetString().Should().Be("ana@example.org");
        var role = person.GetProperty("roles").EnumerateArray().Should().ContainSingle().Subject;
        role.GetProperty("roleId").GetGuid().Should().Be(support);
        role.GetProperty("roleName").GetString().Should().Be("Support Agent");
        role.GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        role.GetProperty("focus").GetString().Should().Be("EU customers");
    }

    [Fact]
    public async Task An_email_is_used_once_per_organisation_but_may_recur_in_another()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var other = await Scenario.FoundAsync(app.Client);
        await org.PersonAsync("Bo", "bo@example.org");

        var again = await app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = "Bo Two", email = "BO@example.org" });
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await other.PersonAsync("Bo", "bo@example.org");
    }

    [Theory]
    [InlineData("Ana", "not-an-email")]
    [InlineData("", "ana@example.org")]
    [InlineData("Ana", "")]
    public async Task A_person_needs_a_name_and_an_email_address(string name, string email)
    {
        var org = await Scenario.FoundAsync(app.Client);

        var response = await app.Client.PostAsJsonAsync($"{org.Base}/people", new { name, email });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Nothing_of_one_organisation_is_visible_through_another()
    {
        var a = await Scenario.FoundAsync(app.Client, "A");
        var b = await Scenario.FoundAsync(app.Client, "B");
        var roleOfA = await a.RoleAsync(a.AnchorCircleId, "Secret Keeper", "secrets");
        var personOfA = await a.PersonAsync("Alice");

        await (await app.Client.GetAsync($"{b.Base}/roles/{roleOfA}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{b.Base}/circles/{a.AnchorCircleId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{b.Base}/people/{personOfA}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{b.Base}/roles/{roleOfA}/history")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await b.GovernAsync(a.AnchorCircleId, Change.CreateRole("Intruder"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsJsonAsync($"{b.Base}/roles/{roleOfA}/assignments", new { personId = personOfA }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var bRole = await b.RoleAsync(b.AnchorCircleId, "Local");
        await (await app.Client.PostAsJsonAsync($"{b.Base}/roles/{bRole}/assignments", new { personId = personOfA }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await b.WhoDecidesAsync("secrets")).GetProperty("status").GetString().Should().Be("NoDomain");
        (await b.GetAsync("roles?q=Secret")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task People_join_in_parallel_without_conflicts_and_an_email_still_joins_once()
    {
        var org = await Scenario.FoundAsync(app.Client);

        var distinct = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = $"P{i}", email = $"p{i}@parallel.test" })));
        var same = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            app.Client.PostAsJsonAsync($"{org.Base}/people", new { name = $"Twin {i}", email = "twin@parallel.test" })));

        distinct.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created);
        same.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        same.Where(r => r.StatusCode != HttpStatusCode.Created).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Conflict);
    }
}
