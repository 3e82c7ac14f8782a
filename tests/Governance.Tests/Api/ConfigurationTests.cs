using System.Net;
using FluentAssertions;
using Governance.Tests.Support;

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
}
