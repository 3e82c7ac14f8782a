using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Import;

/// <summary>POST /api/orgs:import through HTTP on the real database: import, ask who decides, import again, dry runs, refusals.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportApiTests(GovernanceApp app)
{
    /// <summary>The example document with an Anchor Circle id of this test's own, so no other test's import is found as an earlier one.</summary>
    private static string Document() => GlassFrogMappingTests.Example().Replace("777000001", Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Task<HttpResponseMessage> ImportAsync(string body, string query = "format=glassfrog", string type = "application/json") =>
        app.Client.PostAsync($"/api/orgs:import?{query}", new StringContent(body, Encoding.UTF8, type));

    private async Task<(Scenario Org, JsonElement Report)> ImportedAsync(string document, string query = "format=glassfrog")
    {
        var response = await ImportAsync(document, query);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        (await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "api", "ImportResponse.json"))).Validate(text).Should().BeEmpty();
        var body = JsonDocument.Parse(text).RootElement.Clone();
        return (new Scenario(app.Client, body.GetProperty("id").GetGuid(), body.GetProperty("anchorCircleId").GetGuid()), body.GetProperty("report"));
    }

    private static int Count(JsonElement report, string part, string kind) => report.GetProperty(part).GetProperty(kind).GetInt32();

    [Fact]
    public async Task An_imported_glassfrog_organisation_answers_who_decides_with_the_imported_filler()
    {
        var (org, report) = await ImportedAsync(Document());

        var answer = await org.WhoDecidesAsync("customer-refunds");
        answer.GetProperty("status").GetString().Should().Be("Resolved");
        answer.GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
        var maker = answer.GetProperty("decisionMakers").EnumerateArray().Should().ContainSingle().Subject;
        maker.GetProperty("name").GetString().Should().Be("Rita Refunds");
        maker.GetProperty("focus").GetString().Should().Be("EU");

        (await org.GetAsync(org.Base)).GetProperty("name").GetString().Should().Be("Acme Bikes");
        (Count(report, "created", "circles"), Count(report, "created", "roles"), Count(report, "created", "people"), Count(report, "created", "assignments"), Count(report, "created", "policies"))
            .Should().Be((1, 3, 4, 5, 1));
        report.GetProperty("domainKeys").EnumerateArray().Select(k => (k.GetProperty("from").GetString(), k.GetProperty("key").GetString()))
            .Should().Contain(("Acme Bikes: Customer refunds", "customer-refunds")).And.Contain(("Acme Bikes/Customer Service: Customer refunds", "customer-refunds"));
    }

    [Fact]
    public async Task Circle_leads_and_elected_roles_are_filled_as_in_glassfrog()
    {
        var (org, _) = await ImportedAsync(Document());

        var anchor = await org.GetAsync($"{org.Base}/circles/{org.AnchorCircleId}");
        var cs = anchor.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Customer Service").GetProperty("id").GetGuid();
        var circle = await org.GetAsync($"{org.Base}/circles/{cs}");
        circle.GetProperty("fillers").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Should().Equal("Carl Service");
        var facilitator = circle.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Facilitator").GetProperty("id").GetGuid();
        var assignments = await org.GetAsync($"{org.Base}/roles/{facilitator}/assignments");
        assignments.EnumerateArray().Should().ContainSingle(a => a.GetProperty("name").GetString() == "Rita Refunds");
    }

    [Fact]
    public async Task A_second_import_of_the_same_document_updates_the_same_organisation_and_duplicates_nothing()
    {
        var document = Document();
        var (org, _) = await ImportedAsync(document);
        var rolesBefore = (await org.GetAsync($"{org.Base}/roles")).GetProperty("items").GetArrayLength();

        var (again, report) = await ImportedAsync(document);

        again.OrgId.Should().Be(org.OrgId);
        foreach (var kind in new[] { "circles", "roles", "people", "assignments", "policies" })
        {
            Count(report, "created", kind).Should().Be(0, kind);
            Count(report, "updated", kind).Should().Be(0, kind);
        }
        (await org.GetAsync($"{org.Base}/roles")).GetProperty("items").GetArrayLength().Should().Be(rolesBefore);

        var (changed, changes) = await ImportedAsync(document.Replace("Refunding customers whose order went wrong", "Refunding customers fairly").Replace("\"focus\": \"EU\"", "\"focus\": \"EU and UK\""));
        changed.OrgId.Should().Be(org.OrgId);
        (Count(changes, "updated", "roles"), Count(changes, "updated", "assignments"), Count(changes, "created", "roles")).Should().Be((1, 1, 0));
        var answer = await org.WhoDecidesAsync("customer-refunds");
        answer.GetProperty("decisionMakers")[0].GetProperty("focus").GetString().Should().Be("EU and UK");
    }

    [Fact]
    public async Task A_dry_run_reports_what_an_import_would_do_and_changes_nothing()
    {
        var document = Document();
        var dry = await ImportAsync(document, "format=glassfrog&dryRun=true");
        dry.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await dry.Content.ReadAsStringAsync();
        (await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "api", "ImportResponse.json"))).Validate(text).Should().BeEmpty();
        var body = JsonDocument.Parse(text).RootElement;
        body.TryGetProperty("id", out _).Should().BeFalse();
        Count(body.GetProperty("report"), "created", "roles").Should().Be(3);

        // Nothing was written: the real import then founds the organisation and creates everything.
        var (org, report) = await ImportedAsync(document);
        Count(report, "created", "roles").Should().Be(3);

        var renamed = await ImportAsync(document.Replace("\"name\": \"Finance\"", "\"name\": \"Treasury\""), "format=glassfrog&dryRun=true");
        Count((await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report"), "updated", "roles").Should().Be(1);
        (await org.GetAsync($"{org.Base}/roles?q=Finance")).GetProperty("items").EnumerateArray().Should().Contain(r => r.GetProperty("name").GetString() == "Finance");
    }

    [Fact]
    public async Task Missing_linked_items_and_domains_outside_the_circle_are_skipped_with_their_reason()
    {
        var (_, report) = await ImportedAsync(Document());

        var skipped = report.GetProperty("skipped").EnumerateArray().Select(s => (Item: s.GetProperty("item").GetString()!, Reason: s.GetProperty("reason").GetString()!)).ToList();
        skipped.Should().Contain(s => s.Item.Contains("role 2199") && s.Reason.Contains("not in the document"));
        skipped.Should().Contain(s => s.Item.Contains("Support tickets") && s.Reason.StartsWith("Holacracy 5.0 §1.3.2"));
    }

    [Fact]
    public async Task A_mapping_of_domain_keys_in_the_body_places_a_domain_within_the_circle()
    {
        var document = Document();
        var mapped = document.TrimEnd()[..^1] + ", \"domainKeys\": { \"Acme Bikes/Customer Service: Customer refunds\": \"customer-refunds/orders\", \"Acme Bikes/Customer Service: Support tickets\": \"customer-refunds/tickets\" } }";
        var (org, report) = await ImportedAsync(mapped);

        report.GetProperty("skipped").EnumerateArray().Should().NotContain(s => s.GetProperty("item").GetString()!.Contains("Support tickets"));
        var answer = await org.WhoDecidesAsync("customer-refunds/tickets");
        answer.GetProperty("role").GetProperty("name").GetString().Should().Be("Support Agent");
    }

    [Theory]
    [InlineData("format=glassfrog", "{ not json")]
    [InlineData("format=glassfrog", "{\"circles\": []}")]
    [InlineData("format=spreadsheet", "{}")]
    [InlineData("", "{}")]
    public async Task Bad_documents_and_unknown_formats_are_400_problems(string query, string body)
    {
        var response = await ImportAsync(body, query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_nul_character_in_a_glassfrog_text_or_a_csv_cell_is_a_400_problem_before_anything_is_written()
    {
        var document = Document();
        var template = GlassFrogMappingTests.Example("import-template.csv").Replace("Acme Bikes", $"Acme NUL {Guid.NewGuid():N}");

        var json = await ImportAsync(document.Replace("Answering support tickets", "Answering support\\u0000tickets"));
        var csv = await ImportAsync(template.Replace("Refunding customers whose order went wrong", "Refunding\0customers"), "format=csv", "text/csv");

        foreach (var response in new[] { json, csv })
        {
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().Should().EndWith("/nul-character");
        }
        // Nothing was written: importing the same sources without the NUL founds their organisations and creates everything.
        Count((await ImportedAsync(document)).Report, "created", "roles").Should().Be(3);
        Count((await ImportedAsync(template, "format=csv")).Report, "created", "roles").Should().Be(2);
    }

    [Fact]
    public async Task A_domain_moved_to_a_role_listed_before_its_old_holder_is_held_by_the_new_one_after_a_re_import()
    {
        var name = $"Acme Moves {Guid.NewGuid():N}";
        string Csv(string holder) => $"kind,circle,name,text,key,email,focus,termEnds\nanchor,,{name},,,,,\nrole,,Billing,,,,,\nrole,,Payments,,,,,\ndomain,,{holder},Invoices,invoices,,,\n";
        var (org, _) = await ImportedAsync(Csv("Payments"), "format=csv");
        (await org.WhoDecidesAsync("invoices")).GetProperty("role").GetProperty("name").GetString().Should().Be("Payments");

        var (again, report) = await ImportedAsync(Csv("Billing"), "format=csv");

        again.OrgId.Should().Be(org.OrgId);
        report.GetProperty("skipped").EnumerateArray().Should().BeEmpty();
        (await org.WhoDecidesAsync("invoices")).GetProperty("role").GetProperty("name").GetString().Should().Be("Billing");
    }

    [Fact]
    public async Task A_document_larger_than_the_services_other_bodies_is_imported()
    {
        // GlassFrog's strategy text is not imported: 1.5 MB of it makes the body larger than the 1 MiB other routes take.
        var large = Document().Replace("\"strategy\": null", $"\"strategy\": \"{new string('x', 1_500_000)}\"");

        var (org, report) = await ImportedAsync(large);

        Count(report, "created", "roles").Should().Be(3);
        (await org.WhoDecidesAsync("customer-refunds")).GetProperty("status").GetString().Should().Be("Resolved");
    }

    [Fact]
    public async Task Importing_into_a_chosen_organisation_needs_its_admin()
    {
        var org = await Scenario.FoundAsync(app.Client, "Chosen Org");
        await org.PersonAsync("Pat Member");

        var member = await app.ClientOf("Pat Member").PostAsync($"/api/orgs:import?format=glassfrog&org={org.OrgId}", new StringContent(Document(), Encoding.UTF8, "application/json"));
        member.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var (into, _) = await ImportedAsync(Document(), $"format=glassfrog&org={org.OrgId}");
        (into.OrgId, into.AnchorCircleId).Should().Be((org.OrgId, org.AnchorCircleId));
        (await org.WhoDecidesAsync("customer-refunds")).GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
    }

    [Fact]
    public async Task Importing_into_another_organisation_is_its_404()
    {
        var theirs = await Scenario.FoundAsync(app.ClientOf("Stranger Owner"));

        var response = await app.ClientOf("Intruder").PostAsync($"/api/orgs:import?format=glassfrog&org={theirs.OrgId}", new StringContent(Document(), Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_csv_import_of_the_template_answers_who_decides_and_a_second_one_updates_nothing()
    {
        var template = GlassFrogMappingTests.Example("import-template.csv").Replace("Acme Bikes", $"Acme CSV {Guid.NewGuid():N}");
        var (org, report) = await ImportedAsync(template, "format=csv");

        (Count(report, "created", "circles"), Count(report, "created", "roles"), Count(report, "created", "people"), Count(report, "created", "assignments"))
            .Should().Be((1, 2, 3, 5));
        var answer = await org.WhoDecidesAsync("customer-refunds/eu");
        answer.GetProperty("role").GetProperty("name").GetString().Should().Be("Refunds Agent");
        answer.GetProperty("decisionMakers")[0].GetProperty("name").GetString().Should().Be("Rita Refunds");

        var (again, second) = await ImportedAsync(template, "format=csv");
        again.OrgId.Should().Be(org.OrgId);
        (Count(second, "created", "roles"), Count(second, "updated", "roles"), Count(second, "created", "assignments")).Should().Be((0, 0, 0));
    }
}
