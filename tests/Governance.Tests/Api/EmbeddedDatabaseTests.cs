using FluentAssertions;
using Governance.Infrastructure;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>The embedded default database, as a newcomer's <c>dotnet run</c> meets it.</summary>
[Collection(ApiCollection.Name)]
public sealed class EmbeddedDatabaseTests
{
    [Fact]
    public async Task Without_server_binaries_the_service_says_what_to_install_or_configure_and_stops()
    {
        // The built service in a process of its own, so the missing binaries are its environment's, not the test run's
        // (a variable changed here would reach every fixture starting PostgreSQL at the same moment).
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string>
        {
            ["GOVERNANCE_PG_BIN"] = "/no/such/postgres/bin",
            ["Governance__Auth__Development"] = "true",
            ["Governance__EmbeddedDatabase__DataRoot"] = Path.Combine(Path.GetTempPath(), $"governance-missing-{Guid.NewGuid():N}"),
        });

        exitCode.Should().Be(1, output);
        output.Should().Contain("apt-get install postgresql").And.Contain("ConnectionStrings__Governance").And.Contain("GOVERNANCE_PG_BIN");
    }

    [Fact]
    public void The_installed_server_binaries_are_found() =>
        EmbeddedPostgres.FindBinDirectory().Should().NotBeNull("the test run itself started PostgreSQL from them");
}
