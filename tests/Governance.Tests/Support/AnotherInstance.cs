using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Governance.Tests.Support;

/// <summary>Another instance of the service on the suite's database, configured by environment settings of its own.</summary>
public static class AnotherInstance
{
    /// <summary>A host of the service as the tests run it: the Testing environment, Wolverine on its own, no transports.</summary>
    public static WebApplicationFactory<Program> Factory(Action<IServiceCollection>? configure = null)
    {
        JasperFxEnvironment.AutoStartHost = true;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
            // After the service's own registrations, so a test's replacement (a clock, say) wins.
            if (configure is not null) web.ConfigureTestServices(configure);
        });
    }

    public static WebApplicationFactory<Program> Start(GovernanceApp app, IReadOnlyDictionary<string, string> settings,
        Action<IServiceCollection>? configure = null)
    {
        // Read by Program when the host is built: set for this instance only, then put back.
        var all = new Dictionary<string, string>(settings) { ["ConnectionStrings__Governance"] = app.ConnectionString };
        var before = all.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in all) Environment.SetEnvironmentVariable(name, value);
        try
        {
            var factory = Factory(configure);
            factory.CreateClient().Dispose();
            return factory;
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
