using System.Security.Claims;
using FluentAssertions;
using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Proposals;
using Governance.Roles;

namespace Governance.Tests.Rules;

/// <summary>Who may do what, as pure functions of the caller and the circle.</summary>
public sealed class AuthorityRulesTests
{
    private readonly RoleTree _tree = new();

    private static Caller Person(Guid id, bool admin = false, params string[] scopes) =>
        new(Actor.OfPerson(id, "Someone"), id, admin, scopes.ToHashSet());

    private static Caller Key(params string[] scopes) => new(Actor.OfApiKey(Guid.NewGuid(), "Tool"), null, false, scopes.ToHashSet());

    private CircleSnapshot Circle(Role circle) => new(circle, [.. _tree.Roles.Values.Where(r => r.CircleId == circle.Id)], new Dictionary<Guid, IReadOnlyList<Role>>());

    [Fact]
    public void Rights_by_kind_of_credential()
    {
        var person = Person(Guid.NewGuid());
        Standing.Refusal(person, Right.Read).Should().BeNull();
        Standing.Refusal(person, Right.Write).Should().BeNull();
        Standing.Refusal(person, Right.Audit)!.Type.Should().Be("admins-only");
        Standing.Refusal(Person(Guid.NewGuid(), admin: true), Right.Audit).Should().BeNull();
        Standing.Refusal(Key(Caller.RegistryRead), Right.Read).Should().BeNull();
        Standing.Refusal(Key(Caller.RegistryRead), Right.Audit)!.Type.Should().Be("scope-missing");
        Standing.Refusal(Key(Caller.AuditRead), Right.Audit).Should().BeNull();
        Standing.Refusal(Key(Caller.RegistryRead, Caller.AuditRead), Right.Write)!.Type.Should().Be("read-only-credential");
        Standing.Refusal(Person(Guid.NewGuid(), true, Caller.RegistryRead), Right.Administer)!.Status.Should().Be(403);
    }

    [Fact]
    public void A_token_speaks_for_a_person_by_subject_or_by_a_verified_email_of_someone_without_one()
    {
        static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
            new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));

        Standing.VerifiedEmailOf(Token(("email", "a@b.c"))).Should().Be("a@b.c");
        Standing.VerifiedEmailOf(Token(("email", "a@b.c"), ("email_verified", "false"))).Should().BeNull();
        Standing.NameOf(Token(("sub", "s"), ("email", "a@b.c"))).Should().Be("a@b.c");
    }

    [Fact]
    public void The_circle_lead_assigns_the_secretary_records_and_the_facilitator_or_secretary_elects()
    {
        var lead = Guid.NewGuid();
        var sales = _tree.Circle(_tree.Anchor, "Sales", "sales").WithFillers([new Filler(lead, null)]);
        _tree.Roles[sales.Id] = sales;
        var secretary = Guid.NewGuid();
        _tree.Add(new Role { Name = "Secretary", CircleId = sales.Id, ElectedRole = ElectedRoles.Secretary }.WithFillers([new Filler(secretary, null)]));

        Authority.MayAssign(Person(lead), sales).Should().BeNull();
        Authority.MayAssign(Person(Guid.NewGuid()), sales)!.Rule.Should().Be("Holacracy 5.0 §1.4.1");
        Authority.MayAssign(Person(Guid.NewGuid()), _tree.Anchor)!.Detail.Should().Contain("Anchor Circle has no Circle Lead");
        Authority.MayAssign(Person(Guid.NewGuid(), admin: true), _tree.Anchor).Should().BeNull();
        Authority.MayRecordGovernance(Person(secretary), Circle(sales)).Should().BeNull();
        Authority.MayRecordGovernance(Person(lead), Circle(sales))!.Rule.Should().Be("Holacracy 5.0 §1.3.5");
        Authority.MayHoldElection(Person(secretary), Circle(sales)).Should().BeNull();
        Authority.MayHoldElection(Person(lead), Circle(sales))!.Rule.Should().Be("Holacracy 5.0 §5.3.5");
    }

    [Fact]
    public void People_speak_for_themselves_and_the_proposal_is_its_proposers()
    {
        var (ana, ben) = (Guid.NewGuid(), Guid.NewGuid());
        var circle = Circle(_tree.Anchor);
        var proposal = new Proposal { Id = Guid.NewGuid(), ProposerId = ana, CircleId = _tree.Anchor.Id };

        Authority.MaySpeakFor(Person(ana), ana, circle, "propose").Should().BeNull();
        Authority.MaySpeakFor(Person(ben), ana, circle, "propose")!.Rule.Should().Be("Holacracy 5.0 §5.1");
        Authority.MaySpeakFor(Person(ben, admin: true), ana, circle, "propose").Should().BeNull();
        Authority.MayChange(Person(ana), proposal).Should().BeNull();
        Authority.MayChange(Person(ben, admin: true), proposal)!.Rule.Should().Be("Holacracy 5.0 §5.3.1");
        Authority.MayConclude(Person(ben), proposal, circle)!.Rule.Should().Be("Holacracy 5.0 §5.3");
        Authority.MayConclude(Person(ben, admin: true), proposal, circle).Should().BeNull();
    }

    [Fact]
    public void While_the_facilitator_or_secretary_is_unfilled_a_surrogate_acts_in_the_constitutions_order()
    {
        var (lead, member, facilitator, secretary) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var sales = _tree.Fill(_tree.Circle(_tree.Anchor, "Sales", "sales"), lead);
        _tree.Fill(_tree.Role(sales, "Account Rep"), member);

        // (c) neither role is filled: the Circle Lead acts as both.
        Authority.MayRecordGovernance(Person(lead), _tree.Snapshot(sales)).Should().BeNull();
        Authority.MayHoldElection(Person(lead), _tree.Snapshot(sales)).Should().BeNull();
        Authority.MayDiscard(Person(lead), _tree.Snapshot(sales)).Should().BeNull();
        Authority.MayRule(Person(lead), _tree.Snapshot(sales)).Should().BeNull();
        var refused = Authority.MayRecordGovernance(Person(member), _tree.Snapshot(sales))!;
        refused.Rule.Should().Be("Holacracy 5.0 §5.3.6");
        refused.Detail.Should().Contain("Circle Lead acts as Secretary");

        // (b) the Facilitator acts as the unfilled Secretary, and the Circle Lead no longer does.
        _tree.Add(new Role { Name = "Facilitator", CircleId = sales.Id, ElectedRole = ElectedRoles.Facilitator }.WithFillers([new Filler(facilitator, null)]));
        Authority.MayRecordGovernance(Person(facilitator), _tree.Snapshot(sales)).Should().BeNull();
        Authority.MayRule(Person(facilitator), _tree.Snapshot(sales)).Should().BeNull();
        var notTheSurrogate = Authority.MayRecordGovernance(Person(lead), _tree.Snapshot(sales))!;
        notTheSurrogate.Rule.Should().Be("Holacracy 5.0 §5.3.6");
        notTheSurrogate.Detail.Should().Contain("Facilitator acts as Secretary");
        Authority.MayDiscard(Person(lead), _tree.Snapshot(sales))!.Rule.Should().Be("Holacracy 5.0 §5.3.1", "the Facilitator is filled: no surrogate");

        // Both filled: each acts as their own role only.
        _tree.Add(new Role { Name = "Secretary", CircleId = sales.Id, ElectedRole = ElectedRoles.Secretary }.WithFillers([new Filler(secretary, null)]));
        Authority.MayRecordGovernance(Person(facilitator), _tree.Snapshot(sales))!.Rule.Should().Be("Holacracy 5.0 §1.3.5");
        Authority.MayRecordGovernance(Person(lead), _tree.Snapshot(sales))!.Rule.Should().Be("Holacracy 5.0 §1.3.5");
        Authority.MayDiscard(Person(secretary), _tree.Snapshot(sales))!.Rule.Should().Be("Holacracy 5.0 §5.3.1");
        Authority.MayHoldElection(Person(facilitator), _tree.Snapshot(sales)).Should().BeNull();

        // The Anchor Circle has no Circle Lead: with neither role filled nobody stands in, and the refusal says so.
        _tree.Fill(_tree.Role(_tree.Anchor, "Treasurer"), member);
        var nobody = Authority.MayHoldElection(Person(member), _tree.Snapshot(_tree.Anchor))!;
        nobody.Rule.Should().Be("Holacracy 5.0 §5.3.5");
        nobody.Detail.Should().Contain("Nobody acts as Facilitator or Secretary");
    }
}

