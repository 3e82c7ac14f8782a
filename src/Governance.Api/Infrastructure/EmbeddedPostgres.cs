using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Governance.Infrastructure;

/// <summary>Settings for a private PostgreSQL server started from the installed server binaries.</summary>
/// <param name="DataRoot">Folder that holds the cluster (<c>pgdata</c>), its password and its log.</param>
/// <param name="Database">Database created on first start.</param>
/// <param name="Port">TCP port on 127.0.0.1; 0 picks a free one.</param>
/// <param name="Durable">fsync on. Only throwaway test clusters turn it off.</param>
public sealed record EmbeddedPostgresOptions(string DataRoot, string Database, int Port = 0, bool Durable = true);

public sealed class EmbeddedPostgresUnavailableException(string message) : Exception(message);

/// <summary>
/// Starts and stops a private PostgreSQL cluster: <c>initdb</c> on first use, <c>pg_ctl start</c>
/// on 127.0.0.1 only, password authentication. As root it runs the server as the <c>postgres</c>
/// user (PostgreSQL refuses root), so the data folder must be reachable by that user.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>Where packages install PostgreSQL's versioned server folders (Debian, source builds, Homebrew, RPM).</summary>
    private static readonly string[] InstallRoots = ["/usr/lib/postgresql", "/usr/local/pgsql", "/opt/homebrew/opt", "/usr/pgsql"];

    private const string Superuser = "governance";
    private readonly string _binDirectory;
    private readonly EmbeddedPostgresOptions _options;
    private bool _running;

    private EmbeddedPostgres(string binDirectory, EmbeddedPostgresOptions options, string connectionString)
    {
        _binDirectory = binDirectory;
        _options = options;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    private string DataDirectory => Path.Combine(_options.DataRoot, "pgdata");

    private static bool RunningAsRoot => Environment.IsPrivilegedProcess && OperatingSystem.IsLinux();

    public static string MissingServerHelp =>
        "No database is configured and no PostgreSQL server binaries (initdb, pg_ctl) were found, so the embedded database "
        + "cannot start. Either install PostgreSQL 14 or newer (Debian/Ubuntu: 'sudo apt-get install postgresql'; macOS: "
        + "'brew install postgresql'), or set GOVERNANCE_PG_BIN to the folder holding initdb and pg_ctl, or point the service "
        + "at an existing database with the connection string ConnectionStrings__Governance "
        + "(for example 'Host=localhost;Database=governance;Username=me;Password=secret').";

    /// <summary>Finds the folder with <c>initdb</c> and <c>pg_ctl</c>: GOVERNANCE_PG_BIN, then PATH, then the usual install folders.</summary>
    public static string? FindBinDirectory()
    {
        static bool HasServer(string? dir) =>
            !string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        // An explicit choice is never second-guessed: a wrong folder is reported, not searched around.
        var configured = Environment.GetEnvironmentVariable("GOVERNANCE_PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return HasServer(configured) ? configured : null;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (!HasServer(dir)) continue;
            // Debian links initdb into /usr/local/bin; resolve to the real folder so pg_ctl finds postgres.
            var real = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            return real is null ? dir : Path.GetDirectoryName(real);
        }

        var candidates = InstallRoots
            .Where(Directory.Exists)
            .SelectMany(root => Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Append(Path.Combine(root, "bin")))
            .Where(HasServer)
            .OrderByDescending(d => d, StringComparer.Ordinal);
        return candidates.FirstOrDefault();
    }

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, Action<string>? log = null, CancellationToken ct = default)
    {
        var bin = FindBinDirectory() ?? throw new EmbeddedPostgresUnavailableException(MissingServerHelp);
        log ??= _ => { };
        Directory.CreateDirectory(options.DataRoot);
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["postgres", options.DataRoot], ct);
        }

        var passwordFile = Path.Combine(options.DataRoot, "superuser-password");
        var dataDirectory = Path.Combine(options.DataRoot, "pgdata");
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            log($"Creating the embedded PostgreSQL cluster in {dataDirectory} ...");
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), ct);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (RunningAsRoot)
            {
                await RunAsync("chown", ["postgres", passwordFile], ct);
            }
            await RunServerToolAsync(bin, "initdb", ["-D", dataDirectory, "-U", Superuser, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C"], ct);
        }
        var password = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();

        // A server left running by a killed process still owns the folder: stop it first.
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await TryRunServerToolAsync(bin, "pg_ctl", ["stop", "-D", dataDirectory, "-m", "fast", "-w"], ct);
        }

        var port = options.Port != 0 ? options.Port : FreePort();
        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
            + (options.Durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunServerToolAsync(bin, "pg_ctl", ["start", "-D", dataDirectory, "-l", Path.Combine(options.DataRoot, "server.log"),
            "-w", "-t", "60", "-o", settings], ct);

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = Superuser,
            Password = password,
            Database = "postgres",
        };
        var application = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = options.Database };
        var embedded = new EmbeddedPostgres(bin, options, application.ConnectionString) { _running = true };
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
            {
                Parameters = { new() { Value = options.Database } },
            };
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"create database \"{options.Database}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
        }
        catch
        {
            await embedded.StopAsync();
            throw;
        }
        log($"Embedded PostgreSQL is running on 127.0.0.1:{port} (data: {dataDirectory}).");
        return embedded;
    }

    public async Task StopAsync()
    {
        if (!_running) return;
        _running = false;
        NpgsqlConnection.ClearAllPools();
        await TryRunServerToolAsync(_binDirectory, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], CancellationToken.None);
    }

    /// <summary>Stops the server and deletes its whole data folder (for throwaway test clusters).</summary>
    public async Task StopAndDeleteAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_options.DataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting server process; the temp folder is cleaned later.
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunServerToolAsync(string bin, string tool, IReadOnlyList<string> args, CancellationToken ct) =>
        RunningAsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args], ct)
            : RunAsync(Path.Combine(bin, tool), args, ct);

    private static async Task TryRunServerToolAsync(string bin, string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        try
        {
            await RunServerToolAsync(bin, tool, args, ct);
        }
        catch (EmbeddedPostgresUnavailableException)
        {
            // Nothing to stop.
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new EmbeddedPostgresUnavailableException($"Could not start {file}.");
        // pg_ctl start leaves the server running with our pipes inherited; read to the end only on failure.
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"'{file} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {await stderr}{await stdout}".Trim());
        }
    }
}
