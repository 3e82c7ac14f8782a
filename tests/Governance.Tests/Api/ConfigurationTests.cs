using System.Net;
using FluentAssertions;
using Governance.Tests.Support;
using Npgsql;

namespace Governance.Tests.Api;

/// <summary>The built service takes its settings as any ASP.NET Core service does.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConfigurationTests(GovernanceApp app)
{
    [Fact]
    public async Task The_built_service_listens_where_ASPNETCORE_URLS_says()
    {
        // ServiceProcess gives the address in ASPNETCORE_URLS only: no --urls, nothing in appsettings.json.
        await using var service = ServiceProcess.Start(ServiceProcess.OnDatabase(app.ConnectionString));

        await service.ReadyAsync();

        (await service.Client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Maintenance_commands_need_no_sign_in_outside_Development()
    {
        // Production, a database and nothing else: the service itself would refuse to start (IdentityTests).
        var settings = new Dictionary<string, string> { ["ConnectionStrings__Governance"] = app.ConnectionString };

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(settings, "db-apply");

        exitCode.Should().Be(0, output);
        output.Should().NotContain("No authentication is configured");
        var (refused, why) = await ServiceProcess.RunCommandAsync(settings, "--urls", $"http://127.0.0.1:{ServiceProcess.FreePort()}");
        refused.Should().Be(1, why);
        why.Should().Contain("No authentication is configured");
    }

    [Fact]
    public async Task Told_not_to_apply_the_schema_the_service_refuses_a_database_db_apply_has_not_prepared()
    {
        var database = $"schema_check_{Guid.NewGuid():N}";
        await SqlAsync($"create database {database}");
        try
        {
            await RefusedThenStartedAsync(database);
        }
        finally
        {
            await SqlAsync($"drop database {database} with (force)");
        }
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task RefusedThenStartedAsync(string database)
    {
        var settings = ServiceProcess.OnDatabase(new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = database }.ConnectionString);
        settings["Governance__Schema__ApplyOnStart"] = "false";

        await using (var unprepared = ServiceProcess.Start(settings))
        {
            (await unprepared.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(unprepared.Output);
            unprepared.ExitCode.Should().NotBe(0);
            unprepared.Output.Should().Contain("run the `db-apply` command first");
        }
        (await ServiceProcess.RunCommandAsync(settings, "db-apply")).ExitCode.Should().Be(0);
        await using var prepared = ServiceProcess.Start(settings);
        await prepared.ReadyAsync();
        (await Scenario.FoundAsync(prepared.Client)).OrgId.Should().NotBeEmpty();
    }
}
