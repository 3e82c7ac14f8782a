using Governance.Infrastructure;
using Npgsql;

namespace Governance.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test class's own, started from the installed server binaries like
/// the suite's, which the class may stop and start again (same data, same port) while services use it.
/// </summary>
public sealed class PrivateDatabase : IAsyncLifetime
{
    private EmbeddedPostgresOptions _options = new(Path.Combine(Path.GetTempPath(), $"governance-private-{Guid.NewGuid():N}"), "governance_private", Durable: false);
    private EmbeddedPostgres? _server;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await EmbeddedPostgres.StartAsync(_options);
        ConnectionString = _server.ConnectionString;
        // Started again on the same port, so the services' connection string still holds.
        _options = _options with { Port = new NpgsqlConnectionStringBuilder(ConnectionString).Port };
    }

    /// <summary>pg_ctl stop -m fast: open connections are ended, new ones refused.</summary>
    public Task StopAsync() => _server!.StopAsync();

    public async Task StartAsync() => _server = await EmbeddedPostgres.StartAsync(_options);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.StopAndDeleteAsync();
    }
}
