using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Governance.Infrastructure;

public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";

    public static WebApplicationBuilder AddGovernanceOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new() { Title = "Governance", Version = "v1", Description = "Who decides this? A role registry for self-managing organisations." });
            options.UseOneOfForPolymorphism();
            options.UseAllOfForInheritance();
            options.SupportNonNullableReferenceTypes();
            options.CustomSchemaIds(type => type.FullName!.Replace("Governance.", "", StringComparison.Ordinal).Replace('+', '.'));
            var xml = Path.Combine(AppContext.BaseDirectory, "Governance.Api.xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
            options.OperationFilter<NoGeneratedDescriptions>();
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the organisation's OpenID Connect provider, or signed with the service's key (claims sub, email, name).",
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description = "An organisation's API key for tools, sent as `Authorization: ApiKey gov_...` (read-only scopes registry:read, audit:read).",
            });
            // Either scheme: two requirements (one requirement naming both would mean both at once).
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
        });
        return builder;
    }

    public static WebApplication UseGovernanceOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI();
        return app;
    }
}

/// <summary>Wolverine describes an endpoint without a description by its generated handler's name; say nothing instead.</summary>
internal sealed partial class NoGeneratedDescriptions : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Description is { } description && GeneratedName().IsMatch(description)) operation.Description = null;
    }

    [GeneratedRegex("^(GET|POST|PUT|PATCH|DELETE)_")]
    private static partial Regex GeneratedName();
}
