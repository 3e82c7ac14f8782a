using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>The built service takes its settings as any ASP.NET Core service does.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConfigurationTests(GovernanceApp app)
{
    [Fact]
    public async Task The_built_service_listens_where_ASPNETCORE_URLS_says()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            Environment =
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Governance"] = app.ConnectionString,
                ["Governance__Auth__Development"] = "true",
            },
        };
        using var service = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var status = HttpStatusCode.ServiceUnavailable;
            for (var attempt = 0; attempt < 120 && status != HttpStatusCode.OK && !service.HasExited; attempt++)
            {
                await Task.Delay(250);
                status = await StatusOfAsync(client, "/health/live");
            }

            status.Should().Be(HttpStatusCode.OK, "the service listens on the address ASPNETCORE_URLS names");
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient client, string path)
    {
        try
        {
            return (await client.GetAsync(path)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
