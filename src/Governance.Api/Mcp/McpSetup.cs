using Governance.Identity;

namespace Governance.Mcp;

/// <summary>
/// A Model Context Protocol server for AI support agents at <c>/api/orgs/{orgId}/mcp</c> (Streamable
/// HTTP), with the registry's read tools (<see cref="RegistryTools"/>); docs/mcp.md.
/// </summary>
public static class McpSetup
{
    public const string Route = "/api/orgs/{orgId}/mcp";

    public static WebApplicationBuilder AddGovernanceMcp(this WebApplicationBuilder builder)
    {
        // The tools read the organisation and the caller from the request they answer.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMcpServer(server => server.ServerInfo = new() { Name = "governance", Version = "1.0" })
            // Stateless: every request stands alone, so any instance of a fleet answers it (no session affinity, nothing kept between requests).
            .WithHttpTransport(http => http.Stateless = true)
            .WithTools([typeof(RegistryTools)]);
        return builder;
    }

    /// <summary>
    /// Behind the same credentials and right as the REST reads: <see cref="Standing"/> answers a
    /// stranger, another organisation's credential and an unknown organisation with the same 404, a
    /// key without <c>registry:read</c> with a 403, before the MCP server sees the request.
    /// </summary>
    public static WebApplication MapGovernanceMcp(this WebApplication app)
    {
        // Not in the OpenAPI document: JSON-RPC over one route, described by the tools' own schemas (tools/list).
        app.MapMcp(Route).WithMetadata(new RequiresAttribute(Right.Read)).ExcludeFromDescription();
        return app;
    }
}
