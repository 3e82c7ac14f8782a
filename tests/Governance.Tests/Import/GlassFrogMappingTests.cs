using System.Text.Json;
using FluentAssertions;
using Governance.GovernanceChanges;
using Governance.Import;
using Governance.Roles;

namespace Governance.Tests.Import;

/// <summary>The pure mapping: a GlassFrog document read into circles, roles, people and assignments; domain keys derived; a circle's changes planned.</summary>
public sealed class GlassFrogMappingTests
{
    internal static string Example(string name = "glassfrog-acme.json") => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Import", name));

    private static ImportSource Read()
    {
        using var document = JsonDocument.Parse(Example());
        var (source, error) = GlassFrogDocument.Read(document.RootElement);
        error.Should().BeNull();
        return source!;
    }

    [Fact]
    public void The_anchor_circle_is_the_circle_outside_every_other_and_a_circle_is_one_role_known_by_its_circle_id()
    {
        var source = Read();

        source.Anchor.Name.Should().Be("Acme Bikes");
        source.Anchor.ExternalId.Should().Be("glassfrog:circle:777000001");
        source.Anchor.Purpose.Should().Be("Bikes that last a lifetime");
        source.Anchor.Circle!.Roles.Select(r => r.Name).Should().BeEquivalentTo("Customer Service", "Finance");
        var cs = source.Anchor.Circle.Roles.Single(r => r.Name == "Customer Service");
        cs.ExternalId.Should().Be("glassfrog:circle:1100");
        cs.Domains.Should().Equal("Customer refunds");
        cs.Accountabilities.Should().Equal("Answering customers within a day");
        cs.Circle!.Roles.Select(r => r.Name).Should().Equal("Refunds Agent", "Support Agent");
        cs.Circle.Policies.Should().ContainSingle().Which.Title.Should().Be("Refund limit");
    }

    [Fact]
    public void Embedded_roles_and_id_references_with_linked_objects_read_alike()
    {
        var cs = Read().Anchor.Circle!.Roles.Single(r => r.Name == "Customer Service").Circle!;

        var embedded = cs.Roles.Single(r => r.Name == "Refunds Agent");
        embedded.Accountabilities.Should().Equal("Refunding customers whose order went wrong");
        var linked = cs.Roles.Single(r => r.Name == "Support Agent");
        linked.ExternalId.Should().Be("glassfrog:role:2102");
        linked.Domains.Should().Equal("Support tickets");
        linked.Accountabilities.Should().Equal("Answering support tickets");
    }

    [Fact]
    public void Core_roles_become_the_circle_lead_and_elections_with_their_terms()
    {
        var source = Read();

        source.Assignments.Should().ContainEquivalentOf(new SourceAssignment("glassfrog:circle:1100", "glassfrog:person:5004", null));
        source.Assignments.Should().ContainEquivalentOf(new SourceAssignment("glassfrog:role:2101", "glassfrog:person:5003", "EU"));
        source.Assignments.Should().ContainEquivalentOf(new SourceAssignment("glassfrog:circle:1100", "glassfrog:person:5003", null, ElectedRoles.Facilitator, new DateTimeOffset(2030, 6, 30, 0, 0, 0, TimeSpan.Zero)));
        source.Assignments.Should().ContainEquivalentOf(new SourceAssignment("glassfrog:circle:777000001", "glassfrog:person:5002", null, ElectedRoles.Secretary, new DateTimeOffset(2030, 1, 31, 0, 0, 0, TimeSpan.Zero)));
        source.People.Should().HaveCount(4);
    }

    [Fact]
    public void Missing_linked_items_are_skipped_with_a_reason_not_fatal()
    {
        var skipped = Read().Skipped;

        skipped.Should().Contain(s => s.Item.Contains("role 2199") && s.Reason.Contains("not in the document"));
        skipped.Should().Contain(s => s.Item.Contains("domain 3999") && s.Reason.Contains("not in the document"));
        skipped.Should().Contain(s => s.Item == "assignment 7002" && s.Reason.Contains("person 5999"));
        skipped.Should().Contain(s => s.Reason.Contains("Anchor Circle has no Circle Lead"));
    }

    [Fact]
    public async Task The_example_document_is_what_the_request_schema_describes()
    {
        var schema = await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "api", "GlassFrogDocument.json"));
        schema.Validate(Example()).Should().BeEmpty();
        schema.Validate("{\"roles\": []}").Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"circles\": []}")]
    public void A_document_without_circles_is_refused(string json)
    {
        using var document = JsonDocument.Parse(json);
        GlassFrogDocument.Read(document.RootElement).Error.Should().NotBeNull();
    }

    [Theory]
    [InlineData("Customer refunds", "customer-refunds")]
    [InlineData("  Café  & Crème brûlée!! ", "cafe-creme-brulee")]
    [InlineData("***", "domain")]
    [InlineData("All records required of a Circle under the Constitution, and any record-keeping processes", "all-records-required-of-a-circle-under-the")]
    public void A_slug_is_a_valid_key_segment(string text, string slug)
    {
        DerivedDomainKeys.Slug(text).Should().Be(slug);
        DomainKey.IsValid(slug).Should().BeTrue();
    }

    [Fact]
    public void A_key_is_the_circle_path_and_the_text_unless_the_circle_holds_that_text_or_the_mapping_file_says()
    {
        var circle = new Role { Id = Guid.NewGuid(), CircleId = Guid.NewGuid(), Name = "Customer Service", IsCircle = true, Domains = [new HeldDomain("customer-refunds", "Customer refunds", [])] };
        string[] path = ["Acme Bikes", "Customer Service"];
        var none = new Dictionary<string, string>();

        DerivedDomainKeys.Derive(path, circle, "customer REFUNDS", none).Key.Should().Be("customer-refunds");
        DerivedDomainKeys.Derive(path, circle, "Support tickets", none).Key.Should().Be("customer-service/support-tickets");
        DerivedDomainKeys.Derive(["Acme Bikes"], circle with { CircleId = null }, "Support tickets", none).Key.Should().Be("support-tickets");
        var map = new Dictionary<string, string> { ["Acme Bikes/Customer Service: Support tickets"] = "customer-refunds/tickets" };
        DerivedDomainKeys.Derive(path, circle, "Support tickets", map).Key.Should().Be("customer-refunds/tickets");
        DerivedDomainKeys.Derive(path, circle, "Support tickets", new Dictionary<string, string> { ["Acme Bikes/Customer Service: Support tickets"] = "Not A Key" }).Problem.Should().Contain("not a domain key");
    }

    [Fact]
    public void Planning_skips_a_domain_outside_the_circles_domains_citing_1_3_2_and_creates_the_rest()
    {
        var cs = Read().Anchor.Circle!.Roles.Single(r => r.Name == "Customer Service").Circle!;
        var circle = new Role { Id = Guid.NewGuid(), CircleId = Guid.NewGuid(), Name = "Customer Service", IsCircle = true, Domains = [new HeldDomain("customer-refunds", "Customer refunds", [])] };
        var tally = new ImportTally();

        var planned = CirclePlanning.Plan(cs, ["Acme Bikes", "Customer Service"], circle, [], new Dictionary<string, string>(), tally);

        planned.Select(p => p.Change).OfType<CreateRole>().Select(c => (c.Name, Keys: string.Join(",", c.Domains!.Select(d => d.Key)))).Should()
            .Equal(("Refunds Agent", "customer-refunds"), ("Support Agent", ""));
        planned.Select(p => p.Change).OfType<AddPolicy>().Should().ContainSingle();
        tally.Skipped.Should().ContainSingle(s => s.Item.Contains("Support tickets")).Which.Reason.Should().StartWith("Holacracy 5.0 §1.3.2");
    }

    [Fact]
    public void Planning_against_the_circle_as_imported_changes_only_what_differs()
    {
        var source = new SourceCircle([new SourceRole("glassfrog:role:1", "Scheduler", "On time", ["Planning shifts", "Calling in"], [])], []);
        var circle = new Role { Id = Guid.NewGuid(), Name = "Acme", IsCircle = true };
        var existing = new Role { Id = Guid.NewGuid(), CircleId = circle.Id, Name = "Scheduler", Purpose = "On time", ExternalId = "glassfrog:role:1", Accountabilities = ["Planning shifts", "Old duty"] };

        var planned = CirclePlanning.Plan(source, ["Acme"], circle, [existing], new Dictionary<string, string>(), new ImportTally());

        planned.Select(p => p.Change).Should().BeEquivalentTo(new GovernanceChange[]
        {
            new AddAccountability(existing.Id, "Calling in"),
            new RemoveAccountability(existing.Id, "Old duty"),
        }, o => o.RespectingRuntimeTypes());
        planned.Should().OnlyContain(p => p.Updates == "glassfrog:role:1");
    }

    [Fact]
    public void A_purpose_skipped_as_too_long_keeps_the_roles_purpose_on_a_re_import()
    {
        var circle = new Role { Id = Guid.NewGuid(), Name = "Acme", IsCircle = true };
        var existing = new Role { Id = Guid.NewGuid(), CircleId = circle.Id, Name = "Scheduler", Purpose = "On time", ExternalId = "glassfrog:role:1" };
        var tooLong = new string('p', GovernanceRules.MaxTextLength + 1);
        List<PlannedChange> Plan(string name, ImportTally tally) =>
            CirclePlanning.Plan(new SourceCircle([new SourceRole("glassfrog:role:1", name, tooLong, [], [])], []), ["Acme"], circle, [existing], new Dictionary<string, string>(), tally);

        var tally = new ImportTally();
        Plan("Scheduler", tally).Should().BeEmpty();
        tally.Skipped.Should().ContainSingle(s => s.Item.StartsWith("purpose of", StringComparison.Ordinal));
        Plan("Shift Planner", new ImportTally()).Select(p => p.Change).Should().Equal(new UpdateRole(existing.Id, "Shift Planner", "On time"));
    }

    [Fact]
    public void A_dry_run_founds_its_organisation_as_founding_does_with_the_sources_anchor_id()
    {
        var anchor = new SourceRole("glassfrog:circle:1", "Acme", "Bikes", [], [], new SourceCircle([], []));

        var org = ImportTargets.Unfounded(anchor).Snapshot(DateTimeOffset.UtcNow, 0)!;

        var circle = org.Roles[org.Organisation.AnchorCircleId];
        (circle.Name, circle.Purpose, circle.ExternalId, circle.IsAnchorCircle).Should().Be(("Acme", "Bikes", "glassfrog:circle:1", true));
        org.RolesIn(circle.Id).Should().ContainSingle().Which.Name.Should().Be(GovernanceRules.CircleLeadName);
    }

    [Fact]
    public void The_csv_template_reads_into_circles_roles_keys_people_and_assignments()
    {
        var (source, map, error) = CsvLayout.Read(Example("import-template.csv"));

        error.Should().BeNull();
        source!.Anchor.Name.Should().Be("Acme Bikes");
        var cs = source.Anchor.Circle!.Roles.Single(r => r.Name == "Customer Service");
        cs.Circle!.Roles.Single().Domains.Should().Equal("EU refunds");
        cs.Circle.Policies.Should().ContainSingle();
        map.Should().Contain("Acme Bikes/Customer Service: EU refunds", "customer-refunds/eu").And.Contain("Acme Bikes: Customer refunds", "customer-refunds");
        source.Assignments.Should().HaveCount(5);
        source.Skipped.Should().BeEmpty();
    }

    [Theory]
    [InlineData("kind,name\nanchor,Acme", "missing")]
    [InlineData("kind,circle,name,text,key,email,focus,termEnds\nrole,,Scheduler,,,,,", "anchor")]
    public void A_csv_without_its_columns_or_anchor_is_refused(string csv, string says) =>
        CsvLayout.Read(csv).Error.Should().Contain(says);

    [Fact]
    public void Csv_rows_naming_what_is_not_there_are_skipped_with_the_line()
    {
        var (source, _, _) = CsvLayout.Read("kind,circle,name,text,key,email,focus,termEnds\nanchor,,Acme,,,,,\nrole,Nowhere,Scheduler,,,,,\nassignment,,Ghost,,,a@b.example,,\nfrobnicate,,X,,,,,");

        source!.Skipped.Select(s => s.Item).Should().Equal("line 3 (role 'Scheduler')", "line 4 (assignment 'Ghost')", "line 5 (frobnicate 'X')");
    }
}
