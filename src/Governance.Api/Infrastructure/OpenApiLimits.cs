using Governance.GovernanceChanges;
using Governance.Roles;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Governance.Infrastructure;

/// <summary>
/// States the limits the service enforces in the OpenAPI document (OWASP API4: unrestricted
/// resource consumption), so generated clients and gateways know them: string lengths by what the
/// value is, list sizes, integer ranges. Where the service sets no smaller limit on a value it
/// sends, the document states the largest it can be.
/// </summary>
public sealed class OpenApiLimits : ISchemaFilter, IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter.Schema is OpenApiSchema schema) Limit(parameter.Name ?? "", schema);
    }

    /// <summary>No list the service sends is longer (role histories, page sizes and batches are far below).</summary>
    public const int MaxListLength = 1_000_000;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete) return;
        // The schema itself (a query parameter, a list answered whole), then its properties.
        Limit(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(context.ParameterInfo?.Name ?? context.MemberInfo?.Name ?? ""), concrete);
        foreach (var (name, property) in concrete.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (property is OpenApiSchema value) Limit(name, value);
        }
    }

    private static void Limit(string name, OpenApiSchema schema)
    {
        var type = schema.Type ?? JsonSchemaType.Null;
        if (type.HasFlag(JsonSchemaType.String) && schema.Enum is not { Count: > 0 } && schema.MaxLength is null)
        {
            schema.MaxLength = schema.Format switch
            {
                "uuid" => 36,
                "date-time" or "date" => 64,
                _ => MaxLengthOf(name),
            };
        }
        if (type.HasFlag(JsonSchemaType.Array))
        {
            schema.MaxItems ??= MaxItemsOf(name);
            if (schema.Items is OpenApiSchema items) Limit(name, items);
        }
        if (type.HasFlag(JsonSchemaType.Integer) && (schema.Minimum is null || schema.Maximum is null))
        {
            (schema.Minimum, schema.Maximum) = schema.Format == "int32"
                ? (int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : ("0", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static int MaxLengthOf(string property) => property switch
    {
        "name" or "title" or "roleName" or "focus" or "op" or "status" or "type" or "via" or "rule" or "citation" => GovernanceRules.MaxNameLength,
        "key" or "domainKey" => DomainKey.MaxLength,
        "email" => 320,
        "currency" => 3,
        "externalId" => 255,
        _ => GovernanceRules.MaxTextLength,
    };

    private static int MaxItemsOf(string property) => property switch
    {
        "changes" => GovernanceRules.MaxChangesPerBatch,
        "questions" => DecisionRights.AskingWhoDecides.MaxBatch,
        "keywords" or "grants" => 20,
        "scopes" => 2,
        _ => MaxListLength,
    };
}
