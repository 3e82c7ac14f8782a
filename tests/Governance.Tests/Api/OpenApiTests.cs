using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Governance.Tests.Support;

namespace Governance.Tests.Api;

/// <summary>The OpenAPI document is what clients are generated from: complete, named and summarised.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class OpenApiTests(GovernanceApp app)
{
    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await app.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)));

    /// <summary>
    /// One line per documented response: method, path, status, media type and schema ("problem" for
    /// RFC 9457 bodies). OpenApiResponses.txt holds the lines of the document before the endpoints
    /// moved to typed results (less five wrong ones: a "200 IResult" beside each 201, a 404 on
    /// POST /api/orgs, a 204 on the export, and the export's problems and lines typed as NDJSON).
    /// </summary>
    private static IEnumerable<string> ResponseLines(JsonElement document) =>
        from op in Operations(document)
        from response in op.Operation.GetProperty("responses").EnumerateObject()
        from media in response.Value.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(m => $"{m.Name} {SchemaName(m.Value.GetProperty("schema"))}")
            : ["- -"]
        select $"{op.Method} {op.Path} {response.Name} {media}";

    private static string SchemaName(JsonElement schema)
    {
        if (schema.TryGetProperty("oneOf", out _)) return "problem";
        var reference = schema.TryGetProperty("$ref", out var r) ? r.GetString()
            : schema.TryGetProperty("items", out var items) && items.TryGetProperty("$ref", out var ir) ? ir.GetString() : null;
        if (reference is null) return schema.TryGetProperty("type", out var type) ? type.GetString()! : "-";
        var name = reference.Replace("#/components/schemas/", "", StringComparison.Ordinal);
        return name.EndsWith("ProblemDetails", StringComparison.Ordinal) ? "problem" : name;
    }

    [Fact]
    public async Task Every_response_documented_before_typed_results_is_still_documented()
    {
        var before = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "OpenApiResponses.txt"));
        var now = ResponseLines(await DocumentAsync()).ToHashSet();

        before.Where(line => line.Length > 0).Should().BeSubsetOf(now);
    }

    [Fact]
    public async Task Every_operation_has_a_client_friendly_id_and_a_summary()
    {
        var operations = Operations(await DocumentAsync()).ToList();

        foreach (var (method, path, operation) in operations)
        {
            var id = operation.GetProperty("operationId").GetString()!;
            CamelCase().IsMatch(id).Should().BeTrue($"{method} {path} has operationId '{id}'");
            var summary = operation.TryGetProperty("summary", out var s) ? s.GetString() : null;
            summary.Should().NotBeNullOrWhiteSpace($"{method} {path} needs a summary").And.NotContain("_api_");
            if (operation.TryGetProperty("description", out var description)) description.GetString().Should().NotContain("_api_");
        }
        operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Should().OnlyHaveUniqueItems();
    }

    /// <summary>Where the document is saved for .ci/run to lint it with Spectral and the OWASP ruleset (eng/spectral).</summary>
    public static string SavedDocument => Path.Combine(AppContext.BaseDirectory, "openapi.json");

    [Fact]
    public async Task The_document_declares_both_security_schemes_and_is_saved_for_linting()
    {
        var text = await app.Client.GetStringAsync("/swagger/v1/swagger.json");
        var document = JsonDocument.Parse(text).RootElement;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("bearer").GetProperty("scheme").GetString().Should().Be("bearer");
        schemes.GetProperty("apiKey").GetProperty("in").GetString().Should().Be("header");
        document.GetProperty("security").GetArrayLength().Should().Be(2, "either scheme, not both at once");
        await File.WriteAllTextAsync(SavedDocument, text);
    }

    [GeneratedRegex("^[a-z][A-Za-z]+$")]
    private static partial Regex CamelCase();
}
