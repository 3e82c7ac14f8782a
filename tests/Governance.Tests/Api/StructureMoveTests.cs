using System.Net;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>Structure moves (issue 14, part 5): a circle back into a role, policies moving with their role, moves across levels.</summary>
[Collection(ApiCollection.Name)]
public sealed class StructureMoveTests(GovernanceApp app)
{
    [Fact]
    public async Task A_circle_turned_back_into_a_role_keeps_its_domain_and_filler_and_its_roles_move_up_or_go()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(cs, ana);
        var lead = (await org.GetAsync($"roles/{cs}")).GetProperty("fillers")[0].GetProperty("personId").GetGuid();
        lead.Should().Be(ana);
        var agent = await org.RoleAsync(cs, "Refunds Agent");
        var greeter = await org.RoleAsync(cs, "Greeter");
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Refund limit", "customer-service", Change.Grant(agent, 50, "EUR"))));
        var leadRole = (await org.GetAsync($"circles/{cs}")).GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("isCircleLead").GetBoolean()).GetProperty("id").GetGuid();

        await (await org.GovernAsync(org.AnchorCircleId, Change.ConvertToRole(cs))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await org.GovernAsync(org.AnchorCircleId, Change.ConvertToRole(greeter, "moveUp"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.GovernAsync(cs, Change.ConvertToRole(greeter))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.1");
        await (await org.GovernAsync(org.AnchorCircleId, Change.ConvertToRole(cs, "sideways"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        await org.AdoptAsync(org.AnchorCircleId, Change.ConvertToRole(cs, "moveUp"));

        await (await app.Client.GetAsync($"{org.Base}/circles/{cs}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"{org.Base}/roles/{leadRole}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var role = await org.GetAsync($"roles/{cs}");
        role.GetProperty("isCircle").GetBoolean().Should().BeFalse();
        role.GetProperty("domains")[0].GetProperty("key").GetString().Should().Be("customer-service");
        role.GetProperty("fillers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        (await org.GetAsync($"roles/{agent}")).GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        (await org.GetAsync($"roles/{greeter}")).GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        var answer = await org.WhoDecidesAsync("customer-service/refunds");
        answer.GetProperty("decisionMakers")[0].GetProperty("personId").GetGuid().Should().Be(ana);
        answer.GetProperty("decisionMakers")[0].GetProperty("via").GetString().Should().Be("RoleFiller");
        (await org.GetAsync($"roles/{cs}/history")).EnumerateArray().Select(e => e.GetProperty("type").GetString()).Should().Contain(["policy_removed", "circle_converted_to_role"]);
    }

    [Fact]
    public async Task A_circle_whose_roles_hold_parts_of_its_domain_cannot_move_them_up_but_can_remove_them()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");

        await (await org.GovernAsync(org.AnchorCircleId, Change.ConvertToRole(cs, "moveUp"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.1(b)");
        await org.AdoptAsync(org.AnchorCircleId, Change.ConvertToRole(cs, "remove"));

        await (await app.Client.GetAsync($"{org.Base}/roles/{agent}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await org.WhoDecidesAsync("customer-service/refunds")).GetProperty("role").GetProperty("id").GetGuid().Should().Be(cs);
    }

    [Fact]
    public async Task A_role_moves_across_levels_and_takes_the_policies_that_grant_to_it_along()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var office = await org.CircleAsync(ops, "Office", "ops/office");
        var buyer = await org.RoleAsync(org.AnchorCircleId, "Buyer");
        await org.AssignAsync(buyer, await org.PersonAsync("Ben"));
        var officeVersion = (await org.GetAsync($"circles/{office}")).GetProperty("version").GetInt64();

        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(buyer, office));
        (await org.GetAsync($"roles/{buyer}")).GetProperty("circleId").GetGuid().Should().Be(office);
        (await org.GetAsync($"circles/{office}")).GetProperty("version").GetInt64().Should().Be(officeVersion + 1, "the circle the role enters records the move");

        var spending = (await org.AdoptAsync(office, Change.AddPolicy(Change.Policy("Office spending", "ops/office", Change.Grant(buyer, 100, "EUR")))))[0];
        var refused = await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(buyer, org.AnchorCircleId))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
        refused.GetProperty("detail").GetString().Should().Contain("Office spending");

        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(buyer, org.AnchorCircleId, spending));

        (await org.GetAsync($"roles/{buyer}")).GetProperty("circleId").GetGuid().Should().Be(org.AnchorCircleId);
        (await org.GetAsync($"circles/{office}")).GetProperty("policies").GetArrayLength().Should().Be(0);
        var moved = (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies").EnumerateArray().Single();
        moved.GetProperty("id").GetGuid().Should().Be(spending, "a policy keeps its id when it moves");
        moved.GetProperty("title").GetString().Should().Be("Office spending");
        var answer = await org.WhoDecidesAsync("ops/office", "&amount=80&currency=EUR");
        answer.GetProperty("chain").EnumerateArray().Should().Contain(step => step.GetProperty("rule").GetString() == "PolicyGrant");
        var history = (await org.GetAsync($"roles/{office}/history")).EnumerateArray().Last();
        history.GetProperty("type").GetString().Should().Be("policy_removed");
        history.GetProperty("data").GetProperty("movedTo").GetGuid().Should().Be(org.AnchorCircleId);
    }

    [Fact]
    public async Task A_moving_policy_must_fit_the_circle_it_enters_and_a_move_stays_inside_the_circle()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var office = await org.CircleAsync(ops, "Office", "ops/office");
        var sales = await org.CircleAsync(org.AnchorCircleId, "Sales", "sales");
        var buyer = await org.RoleAsync(org.AnchorCircleId, "Buyer");
        var discounts = (await org.AdoptAsync(org.AnchorCircleId, Change.AddPolicy(Change.Policy("Discounts", "sales", Change.Grant(buyer, 10, "EUR")))))[0];

        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(buyer, office, discounts)))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §1.3.2");
        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(buyer, office, Guid.NewGuid()))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.GovernAsync(ops, Change.MoveRole(office, sales))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(ops, office))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");
        await (await org.GovernAsync(org.AnchorCircleId, Change.MoveRole(buyer, org.AnchorCircleId))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Holacracy 5.0 §5.2");

        // The anchor's grant still reaches the buyer two levels down: the anchor contains it still.
        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(buyer, office));
        (await org.GetAsync($"circles/{org.AnchorCircleId}")).GetProperty("policies").EnumerateArray().Single().GetProperty("id").GetGuid().Should().Be(discounts);
        // Sideways, from one sub-circle's inside to another's, by the circle containing both.
        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(buyer, sales));
        (await org.GetAsync($"roles/{buyer}")).GetProperty("circleId").GetGuid().Should().Be(sales);
    }
}
