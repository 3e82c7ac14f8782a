using System.Security.Cryptography;
using System.Text;

namespace Governance.Infrastructure;

/// <summary>
/// Chooses the database: a configured <c>ConnectionStrings:Governance</c> always wins; without one
/// the service starts its own embedded PostgreSQL whose data is kept between runs.
/// </summary>
public static class GovernanceDatabase
{
    public const string ConnectionStringName = "Governance";

    /// <returns>The embedded server the caller must stop on exit, or null when a database is configured.</returns>
    public static async Task<EmbeddedPostgres?> UseConfiguredOrEmbeddedDatabaseAsync(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionStringName)))
        {
            return null;
        }
        var section = builder.Configuration.GetSection("Governance:EmbeddedDatabase");
        var dataRoot = section["DataRoot"] ?? DefaultDataRoot(builder.Environment.ContentRootPath);
        var port = section.GetValue("Port", 0);
        Console.WriteLine("No ConnectionStrings__Governance is configured: starting the embedded PostgreSQL database.");
        var embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataRoot, "governance", port), Console.WriteLine);
        builder.Configuration[$"ConnectionStrings:{ConnectionStringName}"] = embedded.ConnectionString;
        return embedded;
    }

    /// <summary>
    /// <c>.data/postgres</c> beside the project. As root the server runs as <c>postgres</c>, which
    /// cannot enter folders such as /root (mode 0700); then a folder under /var/tmp is used instead.
    /// </summary>
    private static string DefaultDataRoot(string contentRoot)
    {
        var local = Path.Combine(contentRoot, ".data", "postgres");
        if (!Environment.IsPrivilegedProcess || !OperatingSystem.IsLinux() || IsReachableByOthers(contentRoot))
        {
            return local;
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(contentRoot)))[..12].ToLowerInvariant();
        var fallback = Path.Combine("/var/tmp", $"governance-{hash}", "postgres");
        Console.WriteLine($"The postgres user cannot reach {local}; keeping the embedded database in {fallback} instead.");
        return fallback;
    }

    private static bool IsReachableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if (!File.GetUnixFileMode(dir.FullName).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }
        return true;
    }
}
