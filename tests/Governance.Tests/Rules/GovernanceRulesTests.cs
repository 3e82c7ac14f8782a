using FluentAssertions;
using Governance.GovernanceChanges;
using Governance.Roles;

namespace Governance.Tests.Rules;

/// <summary>The constitution rules applied to governance batches, without any I/O.</summary>
public sealed class GovernanceRulesTests
{
    private readonly RoleTree _tree = new();

    private (GovernanceDecision? Decision, Infrastructure.Problem? Problem, int? Index) Decide(Role circle, params GovernanceChange[] changes) =>
        GovernanceRules.Decide(_tree.Snapshot(circle), changes, Guid.NewGuid);

    [Fact]
    public void Creating_a_role_opens_its_stream_with_one_event_per_element()
    {
        var (decision, problem, _) = Decide(_tree.Anchor,
            new CreateRole("Agent", "Help", ["Answer"], [new DomainInput("support", "Support", ["help"])]));

        problem.Should().BeNull();
        decision!.Events.Select(e => e.Event.GetType().Name).Should().Equal("RoleCreated", "AccountabilityAdded", "DomainDelegated");
        decision.Events.Should().OnlyContain(e => e.StreamId == decision.Results[0].RoleId);
        decision.Events[0].StartsStream.Should().BeTrue();
        ((DomainDelegated)decision.Events[2].Event).Keywords.Should().Equal("help");
    }

    [Fact]
    public void Creating_a_circle_also_creates_its_circle_lead_role()
    {
        var (decision, _, _) = Decide(_tree.Anchor, new CreateRole("Ops", IsCircle: true));

        var created = decision!.Events.Select(e => e.Event).OfType<RoleCreated>().ToList();
        created.Should().HaveCount(2);
        created[0].IsCircle.Should().BeTrue();
        created[1].IsCircleLead.Should().BeTrue();
        created[1].CircleId.Should().Be(created[0].RoleId);
        created[0].CircleLeadRoleId.Should().Be(created[1].RoleId);
    }

    [Fact]
    public void The_anchor_circle_may_grant_any_key_but_other_circles_only_keys_within_their_domains()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "customer-service");

        Decide(_tree.Anchor, new CreateRole("Anything", Domains: [new("whatever/it-is", "W")])).Problem.Should().BeNull();
        Decide(cs, new CreateRole("Inside", Domains: [new("customer-service/refunds", "R")])).Problem.Should().BeNull();
        Decide(cs, new CreateRole("Whole", Domains: [new("customer-service", "CS")])).Problem.Should().BeNull();
        var outside = Decide(cs, new CreateRole("Outside", Domains: [new("customer-services", "X")])).Problem!;
        outside.Status.Should().Be(422);
        outside.Rule.Should().Be("Holacracy 5.0 §1.3.2");
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "a/b")]
    [InlineData("a/b", "a")]
    public void One_holder_per_domain_within_a_circle(string held, string claimed)
    {
        _tree.Role(_tree.Anchor, "Holder", held);

        var problem = Decide(_tree.Anchor, new CreateRole("Claimer", Domains: [new(claimed, "C")])).Problem!;

        problem.Rule.Should().Be("Holacracy 5.0 §1.1(b)");
        problem.Detail.Should().Contain("Holder");
    }

    [Fact]
    public void Sibling_keys_and_keys_in_other_circles_do_not_clash()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        _tree.Role(cs, "Refunds", "cs/refunds");

        Decide(_tree.Anchor, new CreateRole("Sales", Domains: [new("sales", "S")])).Problem.Should().BeNull();
        Decide(cs, new CreateRole("Complaints", Domains: [new("cs/complaints", "C")])).Problem.Should().BeNull();
    }

    [Fact]
    public void Later_changes_of_a_batch_see_the_earlier_ones()
    {
        var (_, problem, index) = Decide(_tree.Anchor,
            new CreateRole("First", Domains: [new("x", "X")]),
            new CreateRole("Second", Domains: [new("x/y", "Y")]));

        problem!.Rule.Should().Be("Holacracy 5.0 §1.1(b)");
        index.Should().Be(1);
        problem.Detail.Should().StartWith("changes[1] (createRole)");
    }

    [Fact]
    public void The_circle_lead_role_is_protected()
    {
        var lead = _tree.Roles.Values.Single(r => r.IsCircleLead && r.CircleId == _tree.Anchor.Id);

        Decide(_tree.Anchor, new RemoveRole(lead.Id)).Problem!.Rule.Should().Be("Holacracy 5.0 §1.4.5");
        Decide(_tree.Anchor, new UpdateRole(lead.Id, Purpose: "Other")).Problem!.Rule.Should().Be("Holacracy 5.0 §1.4.5");
        Decide(_tree.Anchor, new ConvertToCircle(lead.Id)).Problem!.Rule.Should().Be("Holacracy 5.0 §1.4.5");
        Decide(_tree.Anchor, new UpdateRole(lead.Id, Purpose: lead.Purpose)).Problem.Should().BeNull();
        Decide(_tree.Anchor, new AddAccountability(lead.Id, "Assign roles")).Problem.Should().BeNull();
    }

    [Fact]
    public void Removing_a_role_unassigns_its_fillers_first_and_a_circle_takes_its_lead_role_along()
    {
        var ops = _tree.Circle(_tree.Anchor, "Ops", "ops");
        _tree.Fill(ops, Guid.NewGuid(), Guid.NewGuid());

        var (decision, _, _) = Decide(_tree.Anchor, new RemoveRole(ops.Id));

        decision!.Events.Where(e => e.StreamId == ops.Id).Select(e => e.Event.GetType().Name).Should().Equal(
            "PersonUnassignedFromRole", "PersonUnassignedFromRole", "RoleRemoved");
        decision.Events.Where(e => e.StreamId == ops.CircleLeadRoleId!.Value).Select(e => e.Event.GetType().Name).Should().Equal("RoleRemoved");
        decision.Events.Should().HaveCount(4);
    }

    [Fact]
    public void A_circle_with_roles_is_not_removed_and_keeps_the_domains_its_roles_hold_parts_of()
    {
        var ops = _tree.Circle(_tree.Anchor, "Ops", "ops");
        _tree.Role(ops, "Office", "ops/office");

        Decide(_tree.Anchor, new RemoveRole(ops.Id)).Problem!.Type.Should().Be("circle-not-empty");
        Decide(_tree.Anchor, new RemoveDomain(ops.Id, "ops")).Problem!.Rule.Should().Be("Holacracy 5.0 §1.3.2");
    }

    [Fact]
    public void Only_roles_of_the_circle_can_be_changed()
    {
        var ops = _tree.Circle(_tree.Anchor, "Ops", "ops");
        var inner = _tree.Role(ops, "Office");

        Decide(_tree.Anchor, new UpdateRole(inner.Id, Name: "X")).Problem!.Status.Should().Be(404);
    }

    [Fact]
    public void A_plain_role_has_no_governance_of_its_own()
    {
        var plain = _tree.Role(_tree.Anchor, "Plain");

        Decide(plain, new CreateRole("Inner")).Problem!.Rule.Should().Be("Holacracy 5.0 §1.3.1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Has Spaces")]
    [InlineData("trailing/")]
    public void Malformed_keys_are_bad_requests(string key) =>
        Decide(_tree.Anchor, new CreateRole("R", Domains: [new(key, "T")])).Problem!.Status.Should().Be(400);

    [Fact]
    public void Empty_and_oversized_batches_are_bad_requests()
    {
        Decide(_tree.Anchor).Problem!.Status.Should().Be(400);
        Decide(_tree.Anchor, [.. Enumerable.Range(0, GovernanceRules.MaxChangesPerBatch + 1).Select(i => new CreateRole($"R{i}"))])
            .Problem!.Status.Should().Be(400);
    }

    [Fact]
    public void Renaming_to_the_same_name_records_nothing()
    {
        var role = _tree.Role(_tree.Anchor, "Same");

        Decide(_tree.Anchor, new UpdateRole(role.Id, Name: "Same")).Decision!.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_policy_lands_on_the_circles_stream_and_grants_only_within_the_circle()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        var agent = _tree.Role(cs, "Agent");
        var outsider = _tree.Role(_tree.Anchor, "Outsider");
        var deep = Guid.NewGuid();
        var snapshot = _tree.Snapshot(cs) with { DeeperRoles = new HashSet<Guid> { deep } };

        var (decision, problem, _) = GovernanceRules.Decide(snapshot,
            [new AddPolicy(new PolicyInput("Limit", "Up to 500", "cs/refunds", [new GrantInput(agent.Id, 500, "eur"), new GrantInput(deep)]))], Guid.NewGuid);

        problem.Should().BeNull();
        var adopted = decision!.Events.Should().ContainSingle().Subject;
        adopted.StreamId.Should().Be(cs.Id);
        ((PolicyAdopted)adopted.Event).Grants.Should().Equal(new PolicyGrant(agent.Id, 500, "EUR"), new PolicyGrant(deep, null, null));
        decision.Results[0].PolicyId.Should().Be(((PolicyAdopted)adopted.Event).PolicyId);

        GovernanceRules.Decide(snapshot, [new AddPolicy(new PolicyInput("X", "Y", null, [new GrantInput(outsider.Id)]))], Guid.NewGuid)
            .Problem!.Rule.Should().Be("Holacracy 5.0 §5.2");
        GovernanceRules.Decide(snapshot, [new AddPolicy(new PolicyInput("X", "Y", "marketing"))], Guid.NewGuid)
            .Problem!.Rule.Should().Be("Holacracy 5.0 §1.3.2");
    }

    [Fact]
    public void A_role_moves_down_into_a_sub_circle_and_back_up_with_its_domains_checked_there()
    {
        var ops = _tree.Circle(_tree.Anchor, "Ops", "ops");
        var clerk = _tree.Role(_tree.Anchor, "Clerk");
        var holder = _tree.Role(_tree.Anchor, "Holder", "finance");

        var down = Decide(_tree.Anchor, new MoveRole(clerk.Id, ops.Id)).Decision!;
        ((RoleMoved)down.Events.Single().Event).ToCircleId.Should().Be(ops.Id);
        down.TouchedSubCircles.Should().Contain(ops.Id);
        Decide(_tree.Anchor, new MoveRole(holder.Id, ops.Id)).Problem!.Rule.Should().Be("Holacracy 5.0 §1.3.2");
        Decide(_tree.Anchor, new MoveRole(clerk.Id, holder.Id)).Problem!.Rule.Should().Be("Holacracy 5.0 §5.2");

        var inner = _tree.Role(ops, "Inner");
        var up = Decide(_tree.Anchor, new MoveRole(inner.Id, _tree.Anchor.Id)).Decision!;
        ((RoleMoved)up.Events.Single().Event).FromCircleId.Should().Be(ops.Id);
    }

    [Fact]
    public void Removing_a_circle_removes_or_moves_up_its_roles_as_the_change_says()
    {
        var ops = _tree.Circle(_tree.Anchor, "Ops", "ops");
        var office = _tree.Role(ops, "Office", "ops/office");

        Decide(_tree.Anchor, new RemoveRole(ops.Id)).Problem!.Type.Should().Be("circle-not-empty");
        var removed = Decide(_tree.Anchor, new RemoveRole(ops.Id, "remove")).Decision!;
        removed.Events.Where(e => e.Event is RoleRemoved).Select(e => e.StreamId).Should().BeEquivalentTo([ops.Id, office.Id, ops.CircleLeadRoleId!.Value]);
        var moved = Decide(_tree.Anchor, new RemoveRole(ops.Id, "moveUp")).Decision!;
        moved.Events.OfType<PlannedEvent>().Select(e => e.Event).OfType<RoleMoved>().Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { RoleId = office.Id, FromCircleId = ops.Id, ToCircleId = _tree.Anchor.Id });
        Decide(_tree.Anchor, new RemoveRole(ops.Id, "explode")).Problem!.Status.Should().Be(400);
    }
}
