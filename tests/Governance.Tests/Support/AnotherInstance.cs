using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Wolverine;

namespace Governance.Tests.Support;

/// <summary>Another instance of the service on the suite's database, configured by environment settings of its own.</summary>
public static class AnotherInstance
{
    public static WebApplicationFactory<Program> Start(GovernanceApp app, IReadOnlyDictionary<string, string> settings)
    {
        // Read by Program when the host is built: set for this instance only, then put back.
        var all = new Dictionary<string, string>(settings) { ["ConnectionStrings__Governance"] = app.ConnectionString };
        var before = all.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in all) Environment.SetEnvironmentVariable(name, value);
        try
        {
            JasperFxEnvironment.AutoStartHost = true;
            var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                web.ConfigureServices(services =>
                {
                    services.RunWolverineInSoloMode();
                    services.DisableAllExternalWolverineTransports();
                });
            });
            factory.CreateClient().Dispose();
            return factory;
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
