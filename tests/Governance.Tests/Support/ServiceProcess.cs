using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Governance.Tests.Support;

/// <summary>
/// The built service run as an operator runs it: its own process (the built Governance.Api.dll),
/// configured by environment variables, stopped with a signal or killed. Its output is kept to
/// explain a failure.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    /// <summary>A client of the service (development mode: requests act as the development user).</summary>
    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the service on a free port with these settings (and no others of the test run's).</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var process = Process.Start(StartInfo(new Dictionary<string, string>(settings) { ["ASPNETCORE_URLS"] = address.ToString() }, []))!;
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, e) => service.Note(e.Data);
        process.ErrorDataReceived += (_, e) => service.Note(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The settings of a service on this database with development authentication (no tokens needed).</summary>
    public static Dictionary<string, string> OnDatabase(string connectionString) => new()
    {
        ["ConnectionStrings__Governance"] = connectionString,
        ["Governance__Auth__Development"] = "true",
        // Load from a test is not abuse: no per-caller limit.
        ["Governance__RateLimit__PermitsPerSecond"] = "0",
        // The tests' webhook receivers listen on loopback.
        ["Governance__Webhooks__AllowPrivateTargets"] = "true",
    };

    /// <summary>Waits until the service is ready (database reached, registry read), or fails with its output.</summary>
    public async Task ReadyAsync()
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service was not ready within 60 s:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no flushing, connections dropped mid-transaction.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the service shuts down gracefully.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>How long a command may run before it counts as hung (and is killed).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs a command of the built service (e.g. <c>verify</c>) to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(settings, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not end within {CommandTimeout.TotalSeconds} s: {await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The built service with these arguments, in Production, with these settings and none of the test run's own.</summary>
    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Logging__LogLevel__Default"] = "Warning", ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        // None of the test run's own settings: the test host's database and signing key, and what another
        // test sets in this process for a moment while it builds a host of its own (development
        // authentication, say), which a child started in that moment would otherwise inherit.
        foreach (var name in start.Environment.Keys.Where(IsServiceSetting).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in settings) start.Environment[name] = value;
        return start;
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("Governance__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Note(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
