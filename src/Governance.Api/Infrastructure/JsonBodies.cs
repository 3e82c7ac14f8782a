using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Governance.Infrastructure;

/// <summary>
/// Every JSON body is read once here, before its endpoint, with the service's own JSON options: a
/// body that is not the JSON object the endpoint takes (invalid JSON, <c>null</c>, an array, a
/// wrong type, a missing required property, a change without its <c>op</c>, a NUL character that
/// PostgreSQL could not store) is a 400 problem that names the place in the body, never a 500 and
/// never the service's type names. The endpoint then reads the same body again, known to be good.
/// </summary>
public static partial class JsonBodies
{
    /// <summary>The type of an endpoint's JSON body, put on its metadata by <see cref="JsonBodyPolicy"/>.</summary>
    public sealed record Expected(Type RequestType);

    public static WebApplicationBuilder AddJsonBodies(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new NoNulStrings());
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.RespectRequiredConstructorParameters = true;
            json.SerializerOptions.AllowOutOfOrderMetadataProperties = true;
        });
        return builder;
    }

    public static WebApplication UseJsonBodies(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<Expected>() is not { } expected)
            {
                await next(http);
                return;
            }
            if (!IsJson(http.Request))
            {
                await new Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body is not JSON.",
                    "Send the body as application/json.").ToResult().ExecuteAsync(http);
                return;
            }
            http.Request.EnableBuffering();
            var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var problem = await CheckAsync(http.Request.Body, expected.RequestType, options, http.RequestAborted);
            http.Request.Body.Position = 0;
            if (problem is not null)
            {
                await problem.ToResult().ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>Why the body is not a <paramref name="type"/> (null: it is).</summary>
    public static async Task<Problem?> CheckAsync(Stream body, Type type, JsonSerializerOptions options, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(body, type, options, ct) is null
                ? Malformed("The body must be a JSON object, not null.")
                : null;
        }
        catch (JsonException e)
        {
            return Malformed(Explain(e.Message), e.Path);
        }
        catch (NotSupportedException e) when (e.Message.Contains("discriminator", StringComparison.Ordinal))
        {
            return Malformed("Each governance change names its kind in 'op' (createRole, updateRole, addDomain, ...).", (e.InnerException as JsonException)?.Path);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return Malformed("The body does not have the shape this request takes.");
        }
    }

    private static Problem Malformed(string reason, string? path = null) =>
        Problem.BadRequest("malformed-json", path is { Length: > 0 } ? $"{reason} (at {path})" : reason);

    /// <summary>The JSON reader's reason, without the service's type names or the reader's position bookkeeping.</summary>
    private static string Explain(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        if (message.Contains("could not be converted to", StringComparison.Ordinal)) return "A value has the wrong type or format.";
        if (MissingRequired().Match(message) is { Success: true } missing) return $"Required properties are missing: {missing.Groups[1].Value}.";
        if (message.Contains("doesn't allow null values", StringComparison.Ordinal) || message.Contains("non-nullable", StringComparison.Ordinal)) return "A required value is null.";
        return TypeName().Replace(message, "a value");
    }

    /// <summary>What Wolverine reads as JSON too: no Content-Type at all, application/json, text/json, any +json.</summary>
    private static bool IsJson(HttpRequest request) =>
        request.ContentType is not { Length: > 0 } type
        || type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || type.StartsWith("text/json", StringComparison.OrdinalIgnoreCase)
        || type.Contains("+json", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"missing required properties including: (.+?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"'?(Governance|System|Microsoft)\.[\w.`\[\], ]+'?")]
    private static partial Regex TypeName();

    /// <summary>PostgreSQL's jsonb cannot store U+0000: refuse it where it enters.</summary>
    private sealed class NoNulStrings : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return text is not null && text.Contains('\0', StringComparison.Ordinal)
                ? throw new JsonException("Text may not contain the NUL character (U+0000).")
                : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>Marks every endpoint that takes a JSON body with that body's type, for <see cref="JsonBodies"/>.</summary>
public sealed class JsonBodyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType)) chain.Metadata.WithMetadata(new JsonBodies.Expected(chain.RequestType!));
    }
}
