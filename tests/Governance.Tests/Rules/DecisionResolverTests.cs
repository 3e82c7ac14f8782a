using FluentAssertions;
using Governance.DecisionRights;
using Governance.People;
using Governance.Roles;

namespace Governance.Tests.Rules;

/// <summary>The "who decides" resolution as a pure function of registry facts.</summary>
public sealed class DecisionResolverTests
{
    private readonly RoleTree _tree = new();
    private readonly Guid _ana = Guid.NewGuid();
    private readonly Guid _lena = Guid.NewGuid();

    private Resolution Ask(string key) => Ask(new DecisionQuestion(key));

    private Resolution Ask(DecisionQuestion question) => DecisionResolver.Resolve(question, new RegistryFacts(
        _tree.Anchor.Id, _tree.Holdings(), _tree.Roles,
        new Dictionary<Guid, Person>
        {
            [_ana] = new(_ana, _tree.OrgId, "Ana", "ana@x.org", "ANA@X.ORG"),
            [_lena] = new(_lena, _tree.OrgId, "Lena", "lena@x.org", "LENA@X.ORG"),
        }));

    private static IEnumerable<string> Rules(Resolution r) => r.Chain.Select(c => c.Rule);

    [Fact]
    public void The_filler_of_the_role_holding_the_exact_key_decides()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        var refunds = _tree.Fill(_tree.Role(cs, "Refunds", "cs/refunds"), _ana);

        var answer = Ask("cs/refunds");

        answer.Status.Should().Be(DecisionStatus.Resolved);
        answer.Role!.Id.Should().Be(refunds.Id);
        answer.DecisionMakers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PersonId = _ana, Name = "Ana", Via = DecisionVia.RoleFiller });
        Rules(answer).Should().Equal("DomainMatched", "DomainHeld", "RoleFiller");
    }

    [Fact]
    public void The_most_specific_enclosing_key_answers_a_deeper_question()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        _tree.Fill(_tree.Role(cs, "Refunds", "cs/refunds"), _ana);

        var answer = Ask("cs/refunds/eu");

        answer.Domain!.Key.Should().Be("cs/refunds");
        Rules(answer).First().Should().Be("EnclosingDomainMatched");
    }

    [Fact]
    public void A_key_that_only_shares_a_prefix_string_is_not_enclosed()
    {
        _tree.Fill(_tree.Role(_tree.Anchor, "CS", "cs"), _ana);

        Ask("cs-eu/refunds").Status.Should().Be(DecisionStatus.NoDomain);
    }

    [Fact]
    public void A_domain_delegated_whole_goes_to_the_deepest_holder()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var owner = _tree.Fill(_tree.Role(cs, "Owner", "cs"), _ana);

        var answer = Ask("cs");

        answer.Role!.Id.Should().Be(owner.Id);
        answer.DecisionMakers.Select(m => m.PersonId).Should().Equal(_ana);
        Rules(answer).Should().Equal("DomainMatched", "DomainHeld", "DomainDelegated", "RoleFiller");
    }

    [Fact]
    public void A_circle_holding_an_undelegated_domain_decides_through_its_circle_lead()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);

        var answer = Ask("cs/anything");

        answer.Role!.Id.Should().Be(cs.Id);
        answer.DecisionMakers.Should().ContainSingle().Which.Via.Should().Be(DecisionVia.CircleLead);
        Rules(answer).Should().Contain("CircleHoldsDomain");
    }

    [Fact]
    public void An_unfilled_role_is_covered_by_circle_leads_up_the_circles()
    {
        var outer = _tree.Fill(_tree.Circle(_tree.Anchor, "Outer", "o"), _lena);
        var inner = _tree.Circle(outer, "Inner", "o/i");
        _tree.Role(inner, "Worker", "o/i/w");

        var answer = Ask("o/i/w");

        answer.Status.Should().Be(DecisionStatus.Resolved);
        answer.DecisionMakers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PersonId = _lena, RoleId = outer.Id, Via = DecisionVia.CircleLead });
        Rules(answer).Should().Equal("DomainMatched", "DomainHeld", "RoleUnfilled", "CircleUnfilled", "CircleLead");
    }

    [Fact]
    public void With_no_circle_lead_up_to_the_anchor_circle_the_answer_is_unfilled()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        _tree.Role(cs, "Refunds", "cs/refunds");

        var answer = Ask("cs/refunds");

        answer.Status.Should().Be(DecisionStatus.Unfilled);
        answer.DecisionMakers.Should().BeEmpty();
        answer.Role!.Name.Should().Be("Refunds");
        Rules(answer).Last().Should().Be("NoCircleLead");
    }

    [Fact]
    public void A_domain_given_to_the_circle_lead_role_is_decided_by_whoever_fills_the_circle()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var lead = _tree.Roles[cs.CircleLeadRoleId!.Value];
        _tree.Roles[lead.Id] = lead with { Domains = [new HeldDomain("cs/hiring", "Hiring", [])] };

        var answer = Ask("cs/hiring");

        answer.DecisionMakers.Select(m => m.PersonId).Should().Equal(_lena);
        Rules(answer).Should().Contain("CircleLeadRole");
    }

    [Fact]
    public void No_holder_anywhere_is_no_domain_with_section_4_1_2_guidance()
    {
        var answer = Ask("marketing");

        answer.Status.Should().Be(DecisionStatus.NoDomain);
        answer.Domain.Should().BeNull();
        answer.Role.Should().BeNull();
        answer.DecisionMakers.Should().BeEmpty();
        answer.Chain[0].Citation.Should().Be("Holacracy 5.0 §4.1.2");
        answer.Chain[0].Detail.Should().Contain("Silence is not permission");
    }

    [Fact]
    public void Several_fillers_all_decide_with_their_focus()
    {
        var role = _tree.Role(_tree.Anchor, "Agent", "support");
        _tree.Roles[role.Id] = role.WithFillers([new Filler(_ana, "EU"), new Filler(_lena, "US")]);

        var answer = Ask("support");

        answer.DecisionMakers.Select(m => (m.Name, m.Focus)).Should().Equal(("Ana", "EU"), ("Lena", "US"));
    }

    private Role WithPolicy(Role circle, string key, params PolicyGrant[] grants) =>
        _tree.Roles[circle.Id] = _tree.Roles[circle.Id] with
        {
            Policies = [.. _tree.Roles[circle.Id].Policies, new Policy(Guid.NewGuid(), $"Policy on {key}", "text", key, grants)],
        };

    [Fact]
    public void A_grant_covering_the_amount_adds_its_fillers_and_authorises_the_spending()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var agent = _tree.Fill(_tree.Role(cs, "Agent"), _ana);
        WithPolicy(cs, "cs", new PolicyGrant(agent.Id, 500, "EUR"));

        var answer = Ask(new DecisionQuestion("cs/refunds", 500, "EUR"));

        answer.DecisionMakers.Select(m => (m.PersonId, m.Via)).Should().Equal((_lena, DecisionVia.CircleLead), (_ana, DecisionVia.PolicyGrant));
        Rules(answer).Should().EndWith(["PolicyGrant", "SpendingAuthorised"]);
        answer.Policies.Should().ContainSingle();
    }

    [Fact]
    public void A_grant_over_its_limit_or_in_another_currency_does_not_apply()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var agent = _tree.Fill(_tree.Role(cs, "Agent"), _ana);
        WithPolicy(cs, "cs", new PolicyGrant(agent.Id, 500, "EUR"));

        Ask(new DecisionQuestion("cs", 500.01m, "EUR")).DecisionMakers.Select(m => m.PersonId).Should().Equal(_lena);
        Ask(new DecisionQuestion("cs", 10, "GBP")).DecisionMakers.Select(m => m.PersonId).Should().Equal(_lena);
        Rules(Ask(new DecisionQuestion("cs", 10, "GBP"))).Should().Contain(["PolicyGrantNotApplicable", "SpendingNotAuthorised"]);
    }

    [Fact]
    public void A_grant_without_limit_applies_to_any_amount()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        var agent = _tree.Fill(_tree.Role(cs, "Agent"), _ana);
        WithPolicy(cs, "cs", new PolicyGrant(agent.Id, null, null));

        var answer = Ask(new DecisionQuestion("cs", 1_000_000, "EUR"));

        answer.Status.Should().Be(DecisionStatus.Resolved);
        answer.DecisionMakers.Should().ContainSingle().Which.Via.Should().Be(DecisionVia.PolicyGrant);
    }

    [Fact]
    public void The_outer_circles_grant_supersedes_the_inner_circles_grant_to_the_same_role()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        var agent = _tree.Fill(_tree.Role(cs, "Agent"), _ana);
        WithPolicy(cs, "cs/refunds", new PolicyGrant(agent.Id, 500, "EUR"));
        WithPolicy(_tree.Anchor, "cs", new PolicyGrant(agent.Id, 100, "EUR"));

        var answer = Ask(new DecisionQuestion("cs/refunds", 300, "EUR"));

        answer.DecisionMakers.Should().BeEmpty();
        Rules(answer).Should().ContainInOrder("PolicyGrantNotApplicable", "PolicySuperseded");
    }

    [Fact]
    public void Policies_on_a_more_specific_key_than_the_question_do_not_apply()
    {
        var cs = _tree.Circle(_tree.Anchor, "CS", "cs");
        var agent = _tree.Fill(_tree.Role(cs, "Agent"), _ana);
        WithPolicy(cs, "cs/refunds/eu", new PolicyGrant(agent.Id, null, null));

        Ask(new DecisionQuestion("cs/refunds")).Policies.Should().BeEmpty();
    }

    [Fact]
    public void An_unfilled_secretary_is_acted_as_by_the_facilitator_else_by_the_circle_lead()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var secretary = _tree.Add(new Role
        {
            Id = ElectedRoles.RoleIdOf(cs.Id, ElectedRoles.Secretary),
            Name = "Secretary",
            CircleId = cs.Id,
            ElectedRole = ElectedRoles.Secretary,
            Domains = [new HeldDomain("cs/records", "Governance records", [])],
        });
        var facilitator = _tree.Add(new Role { Id = ElectedRoles.RoleIdOf(cs.Id, ElectedRoles.Facilitator), Name = "Facilitator", CircleId = cs.Id, ElectedRole = ElectedRoles.Facilitator });

        var noFacilitator = Ask("cs/records");

        noFacilitator.DecisionMakers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PersonId = _lena, Via = DecisionVia.CircleLead });
        noFacilitator.Chain.Should().ContainSingle(c => c.Rule == "Surrogate").Which.Citation.Should().Be("Holacracy 5.0 §5.3.6(c)");
        Rules(noFacilitator).Should().NotContain("RoleUnfilled", "§5.3.6, not §1.4.2, says who acts as an unfilled Secretary");

        _tree.Fill(facilitator, _ana);
        var withFacilitator = Ask("cs/records");

        withFacilitator.DecisionMakers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PersonId = _ana, RoleId = secretary.Id, Via = DecisionVia.Surrogate });
        withFacilitator.Chain.Should().ContainSingle(c => c.Rule == "Surrogate").Which.Citation.Should().Be("Holacracy 5.0 §5.3.6(b)");

        _tree.Fill(secretary, _lena);
        Ask("cs/records").DecisionMakers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PersonId = _lena, Via = DecisionVia.RoleFiller });
    }

    [Fact]
    public void A_persons_decisions_follow_the_surrogate_rule_for_an_unfilled_secretary()
    {
        var cs = _tree.Fill(_tree.Circle(_tree.Anchor, "CS", "cs"), _lena);
        var secretary = _tree.Add(new Role { Name = "Secretary", CircleId = cs.Id, ElectedRole = ElectedRoles.Secretary, Domains = [new HeldDomain("cs/records", "Records", [])] });
        var facilitator = _tree.Add(new Role { Name = "Facilitator", CircleId = cs.Id, ElectedRole = ElectedRoles.Facilitator });
        IReadOnlyDictionary<Guid, IReadOnlyList<Role>> Inside() => new Dictionary<Guid, IReadOnlyList<Role>> { [cs.Id] = [.. _tree.Roles.Values.Where(r => r.CircleId == cs.Id)] };

        PersonDecisions.DecisionsOf(_lena, [cs], Inside(), [_tree.Anchor, cs]).Should().ContainSingle(d => d.Domain.Key == "cs/records")
            .Which.Should().BeEquivalentTo(new { Via = DecisionVia.CircleLead, Citation = "Holacracy 5.0 §5.3.6(c)" });

        facilitator = _tree.Fill(facilitator, _ana);
        PersonDecisions.DecisionsOf(_lena, [cs], Inside(), [_tree.Anchor, cs]).Should().NotContain(d => d.Domain.Key == "cs/records");
        PersonDecisions.DecisionsOf(_ana, [facilitator], Inside(), [_tree.Anchor, cs], standingIn: [secretary]).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Domain = new { Key = "cs/records" }, Role = new { Id = secretary.Id }, Via = DecisionVia.Surrogate });
    }
}

