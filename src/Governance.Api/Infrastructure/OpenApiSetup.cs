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
            options.SwaggerDoc("v1", new()
            {
                Title = "Governance",
                Version = "v1",
                Description = "Who decides this? A role registry for self-managing organisations.",
                Contact = new OpenApiContact { Name = "Governance", Url = new Uri("https://governance.dev") },
                License = new OpenApiLicense { Name = "MIT", Url = new Uri("https://opensource.org/license/mit") },
            });
            options.SchemaFilter<OpenApiLimits>();
            options.ParameterFilter<OpenApiLimits>();
            options.OperationFilter<RateLimitHeaders>();
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
                Description = "A JWT from the organisation's OpenID Connect provider, or signed with the service's key (claims sub, email, name). Validated as RFC8725 (JSON Web Token Best Current Practices) asks: one expected algorithm per key (HS256 for the local key, the provider's JWKS otherwise), issuer, audience and expiry always checked.",
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

/// <summary>Every answer carries the caller's rate-limit standing and the cross-origin policy; a 429 says when to retry.</summary>
internal sealed class RateLimitHeaders : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete || status[0] is not ('2' or '4')) continue;
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers["RateLimit-Limit"] = Header("Requests the caller may send in a burst.");
            concrete.Headers["RateLimit-Remaining"] = Header("Requests left in the current window.");
            concrete.Headers["RateLimit-Reset"] = Header("Seconds until the window refills.");
            if (status == "429") concrete.Headers["Retry-After"] = Header("Seconds to wait before retrying.");
            concrete.Headers["Access-Control-Allow-Origin"] = new OpenApiHeader
            {
                Description = "The request's Origin, when it is one of Governance:Cors:AllowedOrigins (none by default: no browser on another origin reads an answer).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000 },
            };
        }
    }

    private static OpenApiHeader Header(string description) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "1000000" },
    };
}
