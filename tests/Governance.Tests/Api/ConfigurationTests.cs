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

    [Fact]
    public async Task A_database_this_build_brought_up_to_date_is_not_compared_again_and_one_stamped_by_another_build_is()
    {
        var database = $"schema_stamp_{Guid.NewGuid():N}";
        await SqlAsync($"create database {database}");
        var connection = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = database }.ConnectionString;
        var settings = ServiceProcess.OnDatabase(connection);
        settings["Logging__LogLevel__Governance.Infrastructure"] = "Information";
        try
        {
            await using (var first = ServiceProcess.Start(settings))
            {
                await first.ReadyAsync();
                await WaitForAsync(() => first.Output.Contains("stamped for this build", StringComparison.Ordinal));
            }
            await using (var second = ServiceProcess.Start(settings))
            {
                await second.ReadyAsync();
                await WaitForAsync(() => second.Output.Contains("Schema not compared at start", StringComparison.Ordinal));
                (await Scenario.FoundAsync(second.Client)).OrgId.Should().NotBeEmpty();
            }

            // Another build's stamp, and a table gone: this build compares the schema and brings it back.
            await SqlAsync("update public.governance_schema_stamp set build = 'another build'; drop table public.mt_doc_webhookdelivery", connection);
            await using var third = ServiceProcess.Start(settings);
            await third.ReadyAsync();
            await WaitForAsync(() => third.Output.Contains("stamped for this build", StringComparison.Ordinal));
            (await ScalarAsync("select count(*) from public.governance_schema_stamp", connection)).Should().Be(2L);
            (await ScalarAsync("select count(*) from public.mt_doc_webhookdelivery", connection)).Should().Be(0L, "the table is there again");
        }
        finally
        {
            await SqlAsync($"drop database {database} with (force)");
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        condition().Should().BeTrue();
    }

    private static async Task<object?> ScalarAsync(string sql, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task SqlAsync(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? app.ConnectionString);
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
