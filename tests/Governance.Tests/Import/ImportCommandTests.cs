using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Organisations;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Import;

/// <summary><c>import glassfrog FILE --org NAME [--dry-run]</c> as an operator runs it: the built service as a process, on the test run's database.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportCommandTests(GovernanceApp app)
{
    [Fact]
    public async Task The_command_imports_a_glassfrog_file_after_a_dry_run_that_writes_nothing()
    {
        var name = $"Acme Command {Guid.NewGuid():N}";
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, GlassFrogMappingTests.Example().Replace("777000001", "123456789"));
        var settings = ServiceProcess.OnDatabase(app.ConnectionString);
        try
        {
            var (dryExit, dry) = await ServiceProcess.RunCommandAsync(settings, "import", "glassfrog", file, "--org", name, "--dry-run");
            dryExit.Should().Be(0, dry);
            dry.Should().Contain("Dry run: nothing was written").And.Contain("customer-refunds");
            await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                (await session.Query<Organisation>().CountAsync(o => o.Name == name)).Should().Be(0);
            }

            var (exit, output) = await ServiceProcess.RunCommandAsync(settings, "import", "glassfrog", file, "--org", name, "--admin", "rita@acme-bikes.example");
            exit.Should().Be(0, output);
            var orgId = Guid.Parse(output[(output.IndexOf("Imported into organisation ", StringComparison.Ordinal) + 27)..].Trim()[..36]);

            // Rita, made an admin by --admin, signs in with her e-mail, asks who decides and lists the
            // organisation's API keys, which only its admins may; Carl, imported beside her, may not.
            var rita = new Scenario(app.ClientFor("rita@acme-bikes.example", "Rita Refunds"), orgId, Guid.Empty);
            var answer = await rita.WhoDecidesAsync("customer-refunds");
            answer.GetProperty("decisionMakers")[0].GetProperty("name").GetString().Should().Be("Rita Refunds");
            (await rita.Client.GetAsync($"{rita.Base}/api-keys")).StatusCode.Should().Be(HttpStatusCode.OK);
            var carl = app.ClientFor("carl@acme-bikes.example", "Carl Service");
            (await carl.GetAsync(rita.Base)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await carl.GetAsync($"{rita.Base}/api-keys")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task What_a_second_run_of_the_command_changes_is_delivered_to_the_organisations_webhooks()
    {
        var name = $"Acme Hooks {Guid.NewGuid():N}";
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");
        var document = GlassFrogMappingTests.Example().Replace("777000001", "123456790");
        await File.WriteAllTextAsync(file, document);
        var settings = ServiceProcess.OnDatabase(app.ConnectionString);
        await using var desk = await WebhookReceiver.StartAsync();
        try
        {
            var (exit, output) = await ServiceProcess.RunCommandAsync(settings, "import", "glassfrog", file, "--org", name, "--admin", "rita@acme-bikes.example");
            exit.Should().Be(0, output);
            var orgId = Guid.Parse(output[(output.IndexOf("Imported into organisation ", StringComparison.Ordinal) + 27)..].Trim()[..36]);
            var rita = new Scenario(app.ClientFor("rita@acme-bikes.example", "Rita Refunds"), orgId, Guid.Empty);
            (await rita.Client.PostAsJsonAsync($"{rita.Base}/webhooks", new { url = desk.Url, events = new[] { "governance.role.filled" } })).StatusCode.Should().Be(HttpStatusCode.Created);

            // In GlassFrog, Carl now fills the Support Agent role too.
            await File.WriteAllTextAsync(file, document.Replace("\"role\": 2102, \"person\": 5999", "\"role\": 2102, \"person\": 5004"));
            (exit, output) = await ServiceProcess.RunCommandAsync(settings, "import", "glassfrog", file, "--org", name);
            exit.Should().Be(0, output);

            // The first run's own notices may reach the new subscription too (a notice is matched to the
            // subscriptions there are when it is handled): this test looks for Carl's.
            var supportAgent = (await rita.GetAsync("roles?q=Support Agent")).GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
            IEnumerable<JsonElement> Carls() => desk.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(e => e.GetProperty("data").TryGetProperty("roleId", out var role) && role.GetGuid() == supportAgent);
            for (var i = 0; i < 300 && !Carls().Any(); i++) await Task.Delay(100);
            var cloudEvent = Carls().Should().ContainSingle().Subject;
            (cloudEvent.GetProperty("type").GetString(), cloudEvent.GetProperty("data").GetProperty("change").GetString()).Should().Be(("governance.role.filled", "assigned"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
