using System.Net;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class MovingRolesTests(GovernanceApp app)
{
    [Fact]
    public async Task A_role_moved_into_a_sub_circle_keeps_its_history_fillers_and_shows_in_the_new_circle()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var clerk = await org.RoleAsync(org.AnchorCircleId, "Clerk");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(clerk, ana);
        var opsVersion = (await org.GetAsync($"circles/{ops}")).GetProperty("version").GetInt64();

        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(clerk, ops));

        var role = await org.GetAsync($"roles/{clerk}");
        role.GetProperty("circleId").GetGuid().Should().Be(ops);
        role.GetProperty("fillers").GetArrayLength().Should().Be(1);
        var circle = await org.GetAsync($"circles/{ops}");
        circle.GetProperty("roles").EnumerateArray().Should().Contain(r => r.GetProperty("id").GetGuid() == clerk);
        circle.GetProperty("version").GetInt64().Should().Be(opsVersion + 1);
        (await org.GetAsync($"roles/{clerk}/history")).EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().EndWith("role_moved");

        await org.AdoptAsync(ops, Change.AddDomain(clerk, "ops/paperwork"));
        (await org.WhoDecidesAsync("ops/paperwork")).GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(clerk, org.AnchorCircleId)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.1(b)");
    }

    [Fact]
    public async Task A_move_is_refused_where_the_domains_would_not_fit()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var finance = await org.RoleAsync(org.AnchorCircleId, "Finance", "finance");

        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(finance, ops)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");
        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(finance, finance)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
    }

    [Fact]
    public async Task Removing_a_circle_can_move_its_roles_up_with_their_domains_and_people()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var office = await org.RoleAsync(ops, "Office Manager", "ops/office");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(office, ana);

        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(ops, "moveUp"));

        await (await app.Client.GetAsync($"{org.Base}/circles/{ops}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.GetAsync($"roles/{office}")).GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        var answer = await org.WhoDecidesAsync("ops/office");
        answer.GetProperty("role").GetProperty("id").GetGuid().Should().Be(office);
        answer.GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        (await org.WhoDecidesAsync("ops/other")).GetProperty("status").GetString().Should().Be("NoDomain");
    }

    [Fact]
    public async Task Removing_a_circle_can_remove_its_roles_too()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var office = await org.RoleAsync(ops, "Office Manager", "ops/office");

        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(ops, "remove"));

        await (await app.Client.GetAsync($"{org.Base}/roles/{office}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.WhoDecidesAsync("ops/office")).GetProperty("status").GetString().Should().Be("NoDomain");
    }
}
