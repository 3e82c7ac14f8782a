namespace Governance.Infrastructure;

/// <summary>
/// Where the service listens: wherever ASP.NET Core is told (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>Urls</c>, <c>ASPNETCORE_HTTP_PORTS</c>, <c>Kestrel:Endpoints</c>, with their usual
/// precedence), and http://localhost:5080 when it is told nothing (the contract's default).
/// </summary>
public static class ServiceAddress
{
    public const string Default = "http://localhost:5080";

    /// <summary>The settings ASP.NET Core takes an address from.</summary>
    private static readonly string[] AddressSettings = ["urls", "http_ports", "https_ports"];

    public static WebApplicationBuilder UseDefaultAddressUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var told = AddressSettings.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!told) builder.WebHost.UseUrls(Default);
        return builder;
    }
}
