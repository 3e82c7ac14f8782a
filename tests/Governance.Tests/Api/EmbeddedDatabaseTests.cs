using FluentAssertions;
using Governance.Infrastructure;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>In the API collection so that changing GOVERNANCE_PG_BIN never races the fixture's own start.</summary>
[Collection(ApiCollection.Name)]
public sealed class EmbeddedDatabaseTests
{
    [Fact]
    public async Task Without_server_binaries_the_error_says_what_to_install_or_configure()
    {
        var before = Environment.GetEnvironmentVariable("GOVERNANCE_PG_BIN");
        Environment.SetEnvironmentVariable("GOVERNANCE_PG_BIN", "/no/such/postgres/bin");
        try
        {
            var root = Path.Combine(Path.GetTempPath(), $"governance-missing-{Guid.NewGuid():N}");
            var start = () => EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(root, "x"));

            (await start.Should().ThrowAsync<EmbeddedPostgresUnavailableException>()).Which.Message
                .Should().Contain("apt-get install postgresql").And.Contain("ConnectionStrings__Governance").And.Contain("GOVERNANCE_PG_BIN");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GOVERNANCE_PG_BIN", before);
        }
    }

    [Fact]
    public void The_installed_server_binaries_are_found() =>
        EmbeddedPostgres.FindBinDirectory().Should().NotBeNull("the test run itself started PostgreSQL from them");
}
