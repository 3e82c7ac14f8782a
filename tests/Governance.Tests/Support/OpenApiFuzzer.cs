using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Governance.Tests.Support;

/// <summary>An operation of the service's OpenAPI document, as much of it as the fuzzer builds requests from.</summary>
public sealed record FuzzOperation(string Id, string Method, string Path, IReadOnlyList<FuzzParameter> Parameters, JsonElement? Body, IReadOnlyList<string> PathMethods)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static IReadOnlyList<FuzzOperation> Read(JsonElement document) =>
        [.. from path in document.GetProperty("paths").EnumerateObject()
            let methods = path.Value.EnumerateObject().Select(m => m.Name).Where(Methods.Contains).ToList()
            from method in methods
            let operation = path.Value.GetProperty(method)
            select new FuzzOperation(
                operation.GetProperty("operationId").GetString()!, method.ToUpperInvariant(), path.Name,
                operation.TryGetProperty("parameters", out var parameters)
                    ? [.. parameters.EnumerateArray().Select(p => new FuzzParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, p.GetProperty("schema")))]
                    : [],
                operation.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").GetProperty("application/json").GetProperty("schema") : null,
                [.. methods.Select(m => m.ToUpperInvariant())])];
}

public sealed record FuzzParameter(string Name, string In, JsonElement Schema)
{
    public bool IsId => Schema.TryGetProperty("format", out var format) && format.GetString() == "uuid";

    /// <summary>A paging cursor (<c>next</c>): only the service makes valid ones, so valid requests leave it out.</summary>
    public bool IsCursor => Name == "next";
}

/// <summary>The fuzzer's own organisation: real ids by the kind of thing a parameter or property names, and domain keys it holds.</summary>
public sealed record FuzzIds(IReadOnlyDictionary<string, Guid[]> ByKind, IReadOnlyList<string> DomainKeys)
{
    /// <summary>"proposerId" and "objectorId" are people, "toCircleId" a circle: the kind of thing an id's name refers to, if it says.</summary>
    public static string? KindOf(string name) => name switch
    {
        "orgId" => "org",
        "circleId" or "toCircleId" => "circle",
        "roleId" => "role",
        "personId" or "proposerId" or "objectorId" or "responderId" => "person",
        "proposalId" => "proposal",
        "objectionId" => "objection",
        "policyId" => "policy",
        _ => null,
    };
}

/// <summary>One request the fuzzer sends, kept whole so that a failure can print it and it can be sent again.</summary>
public sealed partial record FuzzRequest(string Operation, int Index, string Mutation, string Method, string Url, string? Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (Body is null) return message;
        message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        // Without validation: a wrong or odd Content-Type is one of the mutations.
        if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        return message;
    }

    /// <summary>The request on one line, runs of a repeated character (the 10k strings) shortened to "a×10000".</summary>
    public override string ToString()
    {
        var headers = string.Concat(Headers.Select(h => $" [{h.Key}: {Shorten(h.Value, 60)}]"));
        var body = Body is null ? "" : $" ({ContentType ?? "no Content-Type"}) {Shorten(Body, 400)}";
        return $"#{Index} {Method} {Shorten(Url, 200)}{headers}{body}";
    }

    private static string Shorten(string text, int max)
    {
        var runs = RepeatedRun().Replace(text, m => $"{m.Value[0]}×{m.Length}");
        return runs.Length <= max ? runs : runs[..max] + "…";
    }

    [GeneratedRegex(@"(.)\1{39,}")]
    private static partial Regex RepeatedRun();
}

/// <summary>One kind of change to a valid request; <c>Needs</c> is the feature of the operation it aims at (see OpenApiFuzzer.Features), <c>Apply</c> false when this instance lacks it.</summary>
public sealed record FuzzMutation(string Name, string? Needs, Func<OpenApiFuzzer.Draft, bool> Apply);

/// <summary>
/// Builds the requests for an operation from its parameters and body schema: a valid request, then at
/// most one mutation of it. The mutations applicable to the operation take turns, so every operation
/// meets every kind within its budget; the seeded Random picks the parameter or property and the bad
/// value, so a run with the same seed sends the same requests.
/// </summary>
public sealed class OpenApiFuzzer(JsonElement document, FuzzIds ids, int seed, IReadOnlyList<FuzzMutation> mutations)
{
    private const int AttemptsToFindATarget = 20;

    public IEnumerable<FuzzRequest> Requests(FuzzOperation operation, int count)
    {
        // Per operation, so that adding an operation to the document leaves the others' requests as they were.
        var random = new Random(seed ^ StableHash(operation.Id));
        var features = Features(operation);
        var applicable = mutations.Where(m => m.Needs is null || features.Contains(m.Needs)).ToList();
        for (var i = 0; i < count; i++)
        {
            var mutation = applicable[i % applicable.Count];
            // A valid instance may lack what the mutation aims at (an optional property left out): make another.
            var (draft, applied) = (Valid(operation, random), false);
            for (var attempt = 0; attempt < AttemptsToFindATarget && !(applied = mutation.Apply(draft)); attempt++) draft = Valid(operation, random);
            yield return draft.ToRequest(i, applied ? mutation.Name : $"{mutation.Name} (no target found: valid)");
        }
    }

    /// <summary>What an operation offers mutations to aim at: its method, "path-id", "path-key", "query", "body", and what its body schema holds ("oneOf", "enum", "array", "number", "uuid", "date-time", "text").</summary>
    private HashSet<string> Features(FuzzOperation operation)
    {
        var features = new HashSet<string> { operation.Method };
        foreach (var parameter in operation.Parameters)
        {
            features.Add(parameter.In);
            if (parameter.In == "path") features.Add(parameter.IsId ? "path-id" : "path-key");
        }
        if (operation.Body is { } body)
        {
            features.Add("body");
            AddBodyFeatures(body, features, []);
        }
        return features;
    }

    private void AddBodyFeatures(JsonElement schema, HashSet<string> features, HashSet<string> seen)
    {
        if (schema.TryGetProperty("$ref", out var reference) && !seen.Add(reference.GetString()!)) return;
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            features.Add("oneOf");
            foreach (var alternative in oneOf.EnumerateArray()) AddBodyFeatures(alternative, features, seen);
        }
        if (schema.TryGetProperty("items", out var items))
        {
            features.Add("array");
            AddBodyFeatures(items, features, seen);
        }
        foreach (var (name, property) in Properties(schema))
        {
            if (Words.ContainsKey(name)) features.Add("enum");
            AddBodyFeatures(property, features, seen);
        }
        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("oneOf", out _)) features.Add("enum");
        if (TypeOf(schema) is "number" or "integer") features.Add("number");
        if (TypeOf(schema) == "string") features.Add(FormatOf(schema) ?? "text");
    }

    private Draft Valid(FuzzOperation operation, Random random)
    {
        var draft = new Draft(this, operation, random, ids);
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            draft.Path[parameter.Name] = parameter.IsId ? IdFor(parameter.Name, random).ToString() : Uri.EscapeDataString(Pick(random, ids.DomainKeys));
        }
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query" && !p.IsCursor && random.Next(2) == 0))
        {
            draft.Query.Add(new(parameter.Name, QueryValue(parameter, random)));
        }
        if (operation.Body is { } body) draft.Body = Instance(body, "body", random, draft.Slots);
        return draft;
    }

    /// <summary>A valid value for a query parameter, escaped for the URL.</summary>
    public string QueryValue(FuzzParameter parameter, Random random)
    {
        var value = Instance(parameter.Schema, parameter.Name, random, []);
        return Uri.EscapeDataString(value is JsonValue json && json.TryGetValue<string>(out var text) ? text : $"{value}");
    }

    /// <summary>A valid instance of the schema; every property and array item it writes becomes a slot a mutation may aim at.</summary>
    private JsonNode? Instance(JsonElement schema, string name, Random random, List<Slot> slots)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf)) return OneOf(oneOf, random, slots);
        if (Properties(schema).Any() || TypeOf(schema) == "object")
        {
            var instance = new JsonObject();
            foreach (var (property, propertySchema) in Properties(schema).Where(p => !IsNullable(p.Schema) || random.Next(3) > 0))
            {
                instance[property] = Instance(propertySchema, property, random, slots);
                slots.Add(new Slot(instance, property, -1, Resolve(propertySchema)));
            }
            return instance;
        }
        return TypeOf(schema) switch
        {
            "array" => Array(schema.GetProperty("items"), name, random, slots),
            "integer" => random.Next(1, 50),
            "number" => random.Next(1, 1000),
            "boolean" => random.Next(2) == 0,
            _ => String(schema, name, random),
        };
    }

    private JsonArray Array(JsonElement items, string name, Random random, List<Slot> slots)
    {
        var array = new JsonArray();
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            array.Add(Instance(items, name, random, slots));
            slots.Add(new Slot(array, null, array.Count - 1, Resolve(items)));
        }
        return array;
    }

    /// <summary>
    /// One of the alternatives, with its discriminator. The document declares none for the governance
    /// changes, so the fuzzer writes what API.md names: <c>op</c>, the schema's own name in camelCase.
    /// </summary>
    private JsonObject OneOf(JsonElement oneOf, Random random, List<Slot> slots)
    {
        var alternative = oneOf[random.Next(oneOf.GetArrayLength())];
        var op = alternative.GetProperty("$ref").GetString()!.Split('.')[^1];
        var change = (JsonObject)Instance(alternative, op, random, slots)!;
        change.Insert(0, "op", char.ToLowerInvariant(op[0]) + op[1..]);
        slots.Add(new Slot(change, "op", -1, Discriminator));
        return change;
    }

    private JsonValue String(JsonElement schema, string name, Random random) => JsonValue.Create(FormatOf(schema) switch
    {
        "uuid" => IdFor(name, random).ToString(),
        "date-time" => DateTimeOffset.UtcNow.AddDays(random.Next(-30, 365)).ToString("O"),
        _ when schema.TryGetProperty("enum", out var values) => values[random.Next(values.GetArrayLength())].GetString()!,
        _ => Hint(name, random) ?? $"Fuzz {random.Next(1000)}",
    });

    /// <summary>
    /// Values the document only types as strings but the service reads as more (a domain key, an
    /// elected role, an instant, an amount): without them a valid request would rarely be valid.
    /// </summary>
    private string? Hint(string name, Random random) => name switch
    {
        "key" or "domainKey" or "domain" => random.Next(3) == 0 ? $"fuzz-{random.Next(1000)}" : Pick(random, ids.DomainKeys),
        "email" => $"fuzz{random.Next(100_000)}@example.org",
        "amount" => $"{random.Next(1, 1000)}",
        // Now: the organisation did not exist an hour ago, and asOf then would only find nothing.
        "asOf" => DateTimeOffset.UtcNow.ToString("O"),
        "at" => DateTimeOffset.UtcNow.AddDays(random.Next(0, 400)).ToString("O"),
        "after" => $"{random.Next(0, 20)}",
        "q" => Pick(random, ["refund for a customer", "who decides the budget", "refund over 500 EUR"]),
        _ when Words.TryGetValue(name, out var words) => Pick(random, words),
        _ => null,
    };

    /// <summary>Properties the document types as bare strings that the service reads as one of a few words (API.md).</summary>
    private static readonly Dictionary<string, string[]> Words = new()
    {
        ["role"] = ["Facilitator", "Secretary", "CircleRep"],
        ["innerRoles"] = ["remove", "moveUp"],
        ["currency"] = ["EUR", "usd"],
    };

    /// <summary>A discriminator, an enum, or one of the <see cref="Words"/>: where an unknown word belongs.</summary>
    public static bool IsOneOfAFewWords(Slot slot) =>
        IsDiscriminator(slot.Schema) || slot.Schema.TryGetProperty("enum", out _) || (slot.Property is { } name && Words.ContainsKey(name));

    public Guid IdFor(string name, Random random) =>
        FuzzIds.KindOf(name) is { } kind && ids.ByKind.TryGetValue(kind, out var real) ? Pick(random, real) : RandomId(random);

    public static Guid RandomId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? Resolve(document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]))
            : schema;

    /// <summary>The properties of an object schema, gathered across allOf (a change is its base plus its own fields).</summary>
    private IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement schema) =>
        (schema.TryGetProperty("allOf", out var parts) ? parts.EnumerateArray().Select(Resolve) : [schema])
        .SelectMany(part => part.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => (p.Name, p.Value)) : []);

    public static string? TypeOf(JsonElement schema) => schema.TryGetProperty("type", out var type) ? type.GetString() : null;

    public static string? FormatOf(JsonElement schema) => schema.TryGetProperty("format", out var format) ? format.GetString() : null;

    public static bool IsNullable(JsonElement schema) => schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean();

    private static readonly JsonElement Discriminator = JsonDocument.Parse("""{"type":"string","x-discriminator":true}""").RootElement;

    public static bool IsDiscriminator(JsonElement schema) => schema.TryGetProperty("x-discriminator", out _);

    /// <summary>FNV-1a: string.GetHashCode differs from run to run, and the requests must not.</summary>
    private static int StableHash(string text) => text.Aggregate(unchecked((int)2166136261), (hash, c) => unchecked((hash ^ c) * 16777619));

    /// <summary>Where in a body instance a value sits: a property of an object or an item of an array, with the schema it was made from.</summary>
    public sealed record Slot(JsonNode Parent, string? Property, int Index, JsonElement Schema)
    {
        public JsonNode? Value => Property is null ? Parent.AsArray()[Index] : Parent.AsObject()[Property];

        public string Name => Property ?? $"[{Index}]";

        public void Set(JsonNode? value)
        {
            if (Property is null) Parent.AsArray()[Index] = value;
            else Parent.AsObject()[Property] = value;
        }

        public void Remove()
        {
            if (Property is null) Parent.AsArray()[Index] = null;
            else Parent.AsObject().Remove(Property);
        }
    }

    /// <summary>A request being built: valid first, then changed by one mutation.</summary>
    public sealed class Draft(OpenApiFuzzer fuzzer, FuzzOperation operation, Random random, FuzzIds ids)
    {
        public OpenApiFuzzer Fuzzer => fuzzer;
        public FuzzOperation Operation => operation;
        public Random Random => random;
        public FuzzIds Ids => ids;
        public string Method { get; set; } = operation.Method;
        /// <summary>Path parameters, escaped already (a mutation may send "%2F" as it is).</summary>
        public Dictionary<string, string> Path { get; } = [];
        /// <summary>Query parameters, their values escaped already (a mutation may send "%FF" as it is).</summary>
        public List<KeyValuePair<string, string>> Query { get; } = [];
        public Dictionary<string, string> Headers { get; } = [];
        public JsonNode? Body { get; set; }
        public List<Slot> Slots { get; } = [];
        public string? Text { get; set; }
        public string? ContentType { get; set; } = operation.Body is null ? null : "application/json";

        // JSON text no JsonNode holds (1e400, nesting deeper than the writer allows), put in by placeholder.
        private readonly Dictionary<string, string> _raw = [];

        public void SetRaw(Slot slot, string json)
        {
            var placeholder = $"fuzz-raw-{_raw.Count}";
            _raw[placeholder] = json;
            slot.Set(placeholder);
        }

        public string? BodyText() => Text ?? (Body is null ? null : _raw.Aggregate(Body.ToJsonString(), (text, raw) => text.Replace($"\"{raw.Key}\"", raw.Value, StringComparison.Ordinal)));

        public Slot? PickSlot(Func<Slot, bool> where) => Slots.Where(where).ToList() is { Count: > 0 } slots ? Pick(random, slots) : null;

        public FuzzRequest ToRequest(int index, string mutation)
        {
            var path = Path.Aggregate(operation.Path, (url, p) => url.Replace($"{{{p.Key}}}", p.Value, StringComparison.Ordinal));
            var query = Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => $"{q.Key}={q.Value}"));
            return new FuzzRequest(operation.Id, index, mutation, Method, path + query, BodyText(), ContentType, Headers);
        }
    }
}
