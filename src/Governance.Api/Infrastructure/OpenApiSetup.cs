using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Governance.Infrastructure;

public static class OpenApiSetup
{
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
