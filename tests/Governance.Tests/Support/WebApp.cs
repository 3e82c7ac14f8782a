using Governance.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Tests.Support;

/// <summary>
/// The web app as a person meets it: the built service in its own process, in development mode
/// (no token, as after the README's <c>dotnet run</c>), on its own throwaway PostgreSQL, driven by
/// the system's Chromium through Playwright (Playwright's own browser download is not reachable
/// here; <c>GOVERNANCE_CHROMIUM</c> names another executable).
/// </summary>
public sealed class WebApp : IAsyncLifetime
{
    private EmbeddedPostgres? _database;
    private IPlaywright? _playwright;

    public ServiceProcess Service { get; private set; } = null!;

    /// <summary>The service's database: another instance (signing people in another way) may share it.</summary>
    public string ConnectionString { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where page screenshots go: <c>GOVERNANCE_SCREENSHOTS</c> (docs/screenshots to refresh the README's), else the test output.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("GOVERNANCE_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var connection = Environment.GetEnvironmentVariable("GOVERNANCE_TEST_CONNECTION") ?? "";
        if (connection.Length == 0)
        {
            _database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(
                Path.Combine(Path.GetTempPath(), $"governance-web-tests-{Guid.NewGuid():N}"), "governance_web_tests", Durable: false));
            connection = _database.ConnectionString;
        }
        ConnectionString = connection;
        Service = ServiceProcess.Start(ServiceProcess.OnDatabase(connection));
        await Service.ReadyAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium(),
            Headless = true,
            // Root (CI) needs it; the pages are our own.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh page (its own cookies) at a width: 1280 px for a desktop, 390 px for a phone; of another instance when one is named.</summary>
    public async Task<IPage> PageAsync(int width = 1280, ServiceProcess? of = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (of ?? Service).Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
        });
        return await context.NewPageAsync();
    }

    private static string Chromium()
    {
        if (Environment.GetEnvironmentVariable("GOVERNANCE_CHROMIUM") is { Length: > 0 } configured) return configured;
        foreach (var candidate in (string[])["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"])
        {
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("The browser tests drive the system's Chromium: install it (Debian: apt-get install chromium) or set GOVERNANCE_CHROMIUM.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Service is not null) await Service.DisposeAsync();
        if (_database is not null) await _database.StopAndDeleteAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebApp>
{
    public const string Name = "web";
}
