using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Governance.Import;
using Governance.Tests.Support;

namespace Governance.Tests.Import;

/// <summary>What one import takes: circles nested past the limit, too many roles or people, are a 422 problem before anything is done, never a crash.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportLimitsTests(GovernanceApp app)
{
    /// <summary>A GlassFrog document whose circles each sit inside the one before: <paramref name="depth"/> circles below the Anchor Circle.</summary>
    internal static string Chain(int depth, long anchorId)
    {
        var circles = new JsonArray { new JsonObject { ["id"] = anchorId, ["name"] = "Deep Org" } };
        var roles = new JsonArray();
        for (var i = 1; i <= depth; i++)
        {
            var parent = i == 1 ? anchorId : i - 1;
            circles.Add(new JsonObject { ["id"] = i, ["name"] = $"Level {i}", ["links"] = new JsonObject { ["supported_role"] = 10_000_000 + i } });
            roles.Add(new JsonObject { ["id"] = 10_000_000 + i, ["name"] = $"Level {i}", ["links"] = new JsonObject { ["circle"] = parent, ["supporting_circle"] = i } });
        }
        return new JsonObject { ["circles"] = circles, ["roles"] = roles }.ToJsonString();
    }

    private Task<HttpResponseMessage> ImportAsync(string body, string query) =>
        app.Client.PostAsync($"/api/orgs:import?{query}", new StringContent(body, Encoding.UTF8, "application/json"));

    private static long AnchorId() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    [Fact]
    public async Task Circles_nested_40_levels_deep_are_a_422_problem_naming_the_limit_and_32_are_imported()
    {
        var response = await ImportAsync(Chain(40, AnchorId()), "format=glassfrog");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("type").GetString().Should().EndWith("/import-too-large");
        problem.GetProperty("detail").GetString().Should().Contain($"{ImportLimits.MaxDepth} levels");

        var deepest = await ImportAsync(Chain(ImportLimits.MaxDepth, AnchorId()), "format=glassfrog&dryRun=true");
        deepest.StatusCode.Should().Be(HttpStatusCode.OK);
        (await deepest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report").GetProperty("created").GetProperty("circles").GetInt32().Should().Be(ImportLimits.MaxDepth);
    }

    [Fact]
    public void A_chain_of_100_000_circles_is_refused_without_exhausting_the_stack()
    {
        var (source, _, problem) = ImportingOrganisations.Read("glassfrog", Chain(100_000, AnchorId()));

        source.Should().NotBeNull();
        problem!.Status.Should().Be(422);
    }

    [Fact]
    public void A_csv_nesting_circles_past_the_limit_is_refused()
    {
        var csv = new StringBuilder("kind,circle,name,text,key,email,focus,termEnds\nanchor,,Deep CSV,,,,,\n");
        var path = "";
        for (var i = 1; i <= ImportLimits.MaxDepth + 1; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"circle,{path},L{i},,,,,\n");
            path = path.Length == 0 ? $"L{i}" : $"{path}/L{i}";
        }

        ImportingOrganisations.Read("csv", csv.ToString()).Problem!.Detail.Should().Contain($"at most {ImportLimits.MaxDepth} levels");
    }

    [Fact]
    public void More_domains_than_an_import_takes_are_refused()
    {
        var domains = Enumerable.Range(0, ImportLimits.MaxDomains + 1).Select(i => $"Domain {i}").ToList();
        var source = new ImportSource(new SourceRole("csv:anchor:a", "A", null, [], [], new SourceCircle([new SourceRole("csv:role:R", "R", null, [], domains)], [])), [], [], []);

        ImportLimits.Check(source)!.Detail.Should().Contain($"at most {ImportLimits.MaxDomains}");
        ImportLimits.Check(source with { Anchor = source.Anchor with { Circle = new SourceCircle([new SourceRole("csv:role:R", "R", null, [], domains[1..])], []) } }).Should().BeNull();
    }

    [Fact]
    public async Task More_roles_or_people_than_an_import_takes_are_a_422_problem()
    {
        var roles = new JsonArray();
        for (var i = 1; i <= ImportLimits.MaxRoles + 1; i++) roles.Add(new JsonObject { ["id"] = i, ["name"] = $"Role {i}", ["links"] = new JsonObject { ["circle"] = 1 } });
        var manyRoles = new JsonObject { ["circles"] = new JsonArray { new JsonObject { ["id"] = 1, ["name"] = "Big Org" } }, ["roles"] = roles }.ToJsonString();
        var csv = new StringBuilder("kind,circle,name,text,key,email,focus,termEnds\nanchor,,Big CSV,,,,,\n");
        for (var i = 0; i <= ImportLimits.MaxPeople; i++) csv.Append(CultureInfo.InvariantCulture, $"person,,P {i},,,p{i}@example.org,,\n");

        var tooManyRoles = await ImportAsync(manyRoles, "format=glassfrog&dryRun=true");
        var tooManyPeople = await ImportAsync(csv.ToString(), "format=csv&dryRun=true");

        tooManyRoles.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooManyRoles.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Contain($"at most {ImportLimits.MaxRoles}");
        tooManyPeople.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooManyPeople.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Contain($"at most {ImportLimits.MaxPeople}");
    }
}
