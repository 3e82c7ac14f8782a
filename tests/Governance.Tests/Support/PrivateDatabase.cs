using Governance.Infrastructure;
using Npgsql;

namespace Governance.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test class's own, started from the installed server binaries like
/// the suite's, which the class may stop and start again (same data, same port) while services use it.
/// </summary>
public sealed class PrivateDatabase : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"governance-private-{Guid.NewGuid():N}");
    private EmbeddedPostgres? _server;
    private int _port;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(_root, "governance_private", Durable: false));
        ConnectionString = _server.ConnectionString;
        _port = new NpgsqlConnectionStringBuilder(ConnectionString).Port;
    }

    /// <summary>pg_ctl stop -m fast: open connections are ended, new ones refused.</summary>
    public Task StopAsync() => _server!.StopAsync();

    public async Task StartAsync() =>
        _server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(_root, "governance_private", Port: _port, Durable: false));

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.StopAndDeleteAsync();
    }
}
