using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Governance.Tests.Support;
using Xunit.Abstractions;
using static Governance.Tests.Support.OpenApiFuzzer;

namespace Governance.Tests.Api;

/// <summary>
/// Seeded, bounded fuzzing of every operation in the service's own OpenAPI document: valid requests
/// and single mutations of them. Whatever arrives, the service answers below 500, and every refusal is
/// an RFC 9457 problem that gives away nothing of its internals. A failure lists the seed and one
/// reproducing request per operation and kind of violation; GOVERNANCE_FUZZ_SEED runs another seed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class FuzzTests(GovernanceApp app, ITestOutputHelper output)
{
    private const int DefaultSeed = 20261129;
    private const int RequestsPerOperation = 50;
    private const int MaxViolationsInMessage = 30;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_documented_operation_answers_any_request_below_500_and_refuses_with_a_problem()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GOVERNANCE_FUZZ_SEED"), out var chosen) ? chosen : DefaultSeed;
        var ids = await FoundOrganisationAsync();
        var document = JsonDocument.Parse(await app.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        // Reads first, deletes last: real ids still point at live things when they are read.
        var operations = FuzzOperation.Read(document).OrderBy(o => o.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 }).ToList();
        var fuzzer = new OpenApiFuzzer(document, ids, seed, Mutations);

        var clock = Stopwatch.StartNew();
        var outcomes = new List<Outcome>();
        foreach (var operation in operations)
        {
            foreach (var request in fuzzer.Requests(operation, RequestsPerOperation)) outcomes.Add(await SendAsync(request));
        }

        var violations = outcomes.SelectMany(o => o.Violations).ToList();
        output.WriteLine($"fuzz seed {seed}: {outcomes.Count} requests, {outcomes.Select(o => o.Request.Operation).Distinct().Count()} operations, "
            + $"{violations.Count(v => v.Kind == Server5xx)} 5xx, {violations.Count(v => v.Kind != Server5xx)} other violations, {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var line in StatusesByOperation(outcomes).Concat(Slowest(outcomes)).Concat(Grouped(violations))) output.WriteLine(line);
        var groups = Grouped(violations).ToList();
        if (groups.Count > 0)
        {
            Assert.Fail($"Fuzzing with seed {seed} (GOVERNANCE_FUZZ_SEED={seed}) found {violations.Count} violations of {groups.Count} kinds; the first request of each"
                + (groups.Count > MaxViolationsInMessage ? $" (the first {MaxViolationsInMessage} here, all in the test output)" : "") + ":\n"
                + string.Join("\n", groups.Take(MaxViolationsInMessage)));
        }
    }

    /// <summary>Real things to aim path parameters and ids at: a sub-circle holding a domain, a role with a part of it and its filler, a policy, a proposal with an objection.</summary>
    private async Task<FuzzIds> FoundOrganisationAsync()
    {
        var org = await Scenario.FoundAsync(app.Client, "Fuzz Co");
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var bookkeeper = await org.RoleAsync(org.AnchorCircleId, "Bookkeeper", "finance");
        var ana = await org.PersonAsync("Ana");
        await org.AssignAsync(agent, ana, "EU");
        var ben = await org.MemberAsync(cs, "Ben");
        var policy = (await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Agents refund up to 500 EUR", "customer-service/refunds", Change.Grant(agent, 500, "EUR")))))[0];
        var proposal = await org.ProposalAsync(cs, ana, Change.CreateRole("Fuzz Target"));
        var objection = await org.ProposalStepAsync(proposal, "objections", new { objectorId = ben, reason = "It is unclear" });
        var objectionId = (await objection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new FuzzIds(
            new Dictionary<string, Guid[]>
            {
                ["org"] = [org.OrgId],
                ["circle"] = [org.AnchorCircleId, cs],
                ["role"] = [agent, bookkeeper, cs],
                ["person"] = [ana, ben],
                ["policy"] = [policy],
                ["proposal"] = [proposal],
                ["objection"] = [objectionId],
            },
            ["customer-service", "customer-service/refunds", "finance"]);
    }

    private sealed record Outcome(FuzzRequest Request, int Status, TimeSpan Elapsed, IReadOnlyList<Violation> Violations);

    private sealed record Violation(FuzzRequest Request, string Kind, int Status, string Excerpt);

    private const string Server5xx = "5xx";
    private const string NoResponse = "no response";
    private const string ShowsInternals = "error body shows internals";

    private async Task<Outcome> SendAsync(FuzzRequest request)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await app.Client.SendAsync(request.ToMessage(), timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            return new Outcome(request, status, clock.Elapsed, [.. Check(status, response.Content.Headers.ContentType?.MediaType, text).Select(kind => new Violation(request, kind, status, Excerpt(text)))]);
        }
        catch (Exception e)
        {
            // The test server hands an exception the service let escape to the client: as bad as a 500.
            return new Outcome(request, 0, clock.Elapsed, [new Violation(request, NoResponse, 0, Excerpt($"{e.GetType().Name}: {e.Message}"))]);
        }
    }

    /// <summary>What is wrong with a response: a 5xx; a 4xx that is not an RFC 9457 problem; an error body that shows internals.</summary>
    private static IEnumerable<string> Check(int status, string? mediaType, string text)
    {
        if (status >= 500) yield return Server5xx;
        else if (status >= 400 && mediaType != "application/problem+json") yield return $"{status} not problem+json ({mediaType ?? "no Content-Type"})";
        else if (status >= 400 && !IsProblem(text, status)) yield return "problem without type, title or matching status";
        if (status >= 400 && Internals().IsMatch(text)) yield return ShowsInternals;
    }

    private static bool IsProblem(string text, int status)
    {
        try
        {
            var body = JsonNode.Parse(text)?.AsObject();
            return body?["type"]?.GetValueKind() == JsonValueKind.String && body["title"]?.GetValueKind() == JsonValueKind.String
                && body["status"]?.GetValueKind() == JsonValueKind.Number && body["status"]!.GetValue<int>() == status;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>A stack frame, an exception's type name, or a type of the service (Governance.Roles.DomainKey, ...).</summary>
    [GeneratedRegex(@"   at |\b\w*Exception\b|exceptionType|Governance\.[A-Z]\w*")]
    private static partial Regex Internals();

    private static string Excerpt(string text) => text.Length <= 300 ? text.ReplaceLineEndings(" ") : text[..300].ReplaceLineEndings(" ") + "…";

    /// <summary>
    /// One line per operation and kind of violation, crashes first, with the mutations that caused it
    /// and the first request that showed it. A crash is one line per mutation too: each is its own cause.
    /// </summary>
    private static IEnumerable<string> Grouped(IEnumerable<Violation> violations) =>
        from v in violations
        let crash = v.Kind is Server5xx or NoResponse
        group v by (v.Request.Operation, v.Kind, Mutation: crash ? v.Request.Mutation : "") into g
        orderby g.Key.Kind is Server5xx or NoResponse ? 0 : g.Key.Kind == ShowsInternals ? 2 : 1, g.Key.Mutation, g.Key.Operation
        let mutations = string.Join(", ", g.GroupBy(v => v.Request.Mutation).Select(m => $"{m.Key} ×{m.Count()}"))
        let first = g.First()
        select $"- {g.Key.Operation}: {g.Key.Kind} on {mutations}: {first.Request} → {first.Status} {first.Excerpt}";

    /// <summary>The slowest requests: a request that takes seconds is worth a look even when its answer is right.</summary>
    private static IEnumerable<string> Slowest(IEnumerable<Outcome> outcomes) =>
        outcomes.OrderByDescending(o => o.Elapsed).Take(5).Select(o => $"  slow: {o.Elapsed.TotalMilliseconds:F0} ms {o.Request.Operation} \"{o.Request.Mutation}\" → {o.Status}: {o.Request}");

    /// <summary>How each operation answered, so a reader sees whether valid requests got past validation at all.</summary>
    private static IEnumerable<string> StatusesByOperation(IEnumerable<Outcome> outcomes) =>
        from o in outcomes
        group o by o.Request.Operation into g
        select $"  {g.Key}: " + string.Join(" ", g.GroupBy(o => o.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}"));

    // ---- What the mutations draw from (declared before Mutations, which reads them). ----

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Already escaped, as they go into the path: escaped slashes, braces, invalid UTF-8, 2,000 characters.
    /// No %00: the test server refuses it before the service sees it (Kestrel answers 400 itself).
    /// </summary>
    private static readonly string[] MalformedSegments =
        ["not-a-guid", "%2F", "a%2Fb", "%7B2f1c1e8a-5d1b-4c7e-9a57-0a1f1e2d3c4b%7D", "-1", "%FF", "%20", "%2E%2E", "%25", "null", new string('a', 2000)];

    /// <summary>Domain keys, valid (held, below a held key, unheld, 200 characters) and not (case, spaces, empty segments, escaped slashes at the ends, 201 characters, non-ASCII, invalid UTF-8).</summary>
    private static readonly string[] DomainKeySegments =
    [
        "customer-service", "customer-service%2Frefunds", "customer-service%2Frefunds%2Feu", "unheld", new string('a', 200),
        "Customer%20Service", "UPPER", "-leading", "customer-service%2F%2Frefunds", "%2F", "customer-service%2F", "%2Fcustomer-service",
        new string('a', 201), "caf%C3%A9", "%FF", "customer-service/refunds", "a%2F..%2F..%2Fb",
    ];

    /// <summary>Already escaped: NUL, invalid UTF-8, numbers out of range, impossible instants, 2,000 characters.</summary>
    private static readonly string[] GarbageQueryValues =
        ["garbage", "-1", "1e308", "99999999999999999999", "NaN", "2024-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59%2B14:00", "%00", "%FF", "Customer%20Service", "%E2%82%AC", "null", new string('a', 2000)];

    private static readonly KeyValuePair<string, string>[] OddHeaders =
    [
        new("If-Match", "garbage"), new("If-Match", "\"-1\""), new("If-Match", "\"99999999999999999999\""), new("If-Match", "W/\"1\""), new("If-Match", "*"),
        new("Idempotency-Key", new string('k', 10_000)), new("Idempotency-Key", "fuzz-reused-key"), new("Idempotency-Key", " "),
    ];

    /// <summary>Raw JSON strings: a lone surrogate, a right-to-left override, blanks, an emoji, markup, a path.</summary>
    private static readonly string[] OddStrings = ["\"\\ud800\"", "\"\\u202e\"", "\"   \"", "\"\\r\\n\"", "\"😀\"", "\"<script>x</script>\"", "\"a/../b\""];

    private static readonly string[] ExtremeNumbers = ["1e308", "-1e308", "-1", "1e400", "79228162514264337593543950336", "1e-400", "-0"];

    private static readonly string[] InvalidGuids = ["not-a-guid", "", "{2f1c1e8a-5d1b-4c7e-9a57-0a1f1e2d3c4b}", "123"];

    private static readonly string[] InvalidDates = ["2024-02-30T00:00:00Z", "tomorrow", "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "2024-01-01", "1700000000"];

    private static readonly string?[] WrongContentTypes =
        ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", null, "application/json; charset=utf-16"];

    private static readonly string[] BadBodies = ["null", "[]", "{\"changes\":[{\"roleId\":\"x\"}]}", "{\"name\":\"a\u0000b\"}", "{", "\"fuzz\""];

    private static readonly Func<string, string>[] InvalidJson =
    [
        text => text.Replace('"', '\''),
        text => text.Insert(text.Length - 1, ","),
        text => "/* a comment */" + text,
        text => text[..^1] + ",\"fuzz\":}",
        text => text + text,
        text => text[..^1] + ",\"fuzz\":NaN}",
        text => text.Replace(":", " ", StringComparison.Ordinal),
    ];

    /// <summary>What the fuzzer sends: each mutation changes one thing of a valid request (the values they draw from are above).</summary>
    private static readonly FuzzMutation[] Mutations =
    [
        // Valid requests take three turns in each cycle: they reach the service's rules, not only its parser.
        new("valid", null, _ => true),
        new("valid", null, _ => true),
        new("valid", null, _ => true),
        new("path: unknown id", "path-id", d => SetPath(d, p => p.IsId, _ => RandomId(d.Random).ToString())),
        new("path: all-zero GUID", "path-id", d => SetPath(d, p => p.IsId, _ => Guid.Empty.ToString())),
        new("path: id of another kind", "path-id", d => SetPath(d, p => p.IsId, p => Pick(d.Random, OtherKindsOfIds(d.Ids, p.Name)).ToString())),
        new("path: malformed", "path", d => SetPath(d, _ => true, _ => Pick(d.Random, MalformedSegments))),
        new("path: domain key", "path-key", d => SetPath(d, p => !p.IsId, _ => Pick(d.Random, DomainKeySegments))),
        new("query: all valid", "query", AllQueryParameters),
        new("query: empty", "query", d => SetQuery(d, _ => "")),
        new("query: garbage", "query", d => SetQuery(d, _ => Pick(d.Random, GarbageQueryValues))),
        new("query: repeated", "query", d => SetQuery(d, p => $"{d.Fuzzer.QueryValue(p, d.Random)}&{p.Name}={d.Fuzzer.QueryValue(p, d.Random)}")),
        new("method: undocumented", null, Always(d => d.Method = Pick(d.Random, [.. HttpMethods.Except(d.Operation.PathMethods)]))),
        new("header: If-Match or Idempotency-Key", "POST", Always(AddOddHeader)),
        new("body: null", "body", Always(d => d.Text = "null")),
        new("body: []", "body", Always(d => d.Text = "[]")),
        new("body: a string", "body", Always(d => d.Text = "\"fuzz\"")),
        new("body: {}", "body", Always(d => d.Text = "{}")),
        new("body: empty", "body", Always(d => d.Text = "")),
        new("property missing", "body", d => At(d, s => s.Property is not null && !IsNullable(s.Schema), s => s.Remove())),
        new("wrong type", "body", d => At(d, _ => true, s => s.Set(WrongType(s.Schema)))),
        new("nested null", "body", d => At(d, s => !IsNullable(s.Schema), s => s.Set(null))),
        new("NUL character", "text", d => At(d, IsText, s => s.Set($"Fuzz\0{s.Name}"))),
        new("10k-character string", "text", d => At(d, IsText, s => s.Set(new string('a', 10_000)))),
        new("odd characters", "text", d => At(d, IsText, s => d.SetRaw(s, Pick(d.Random, OddStrings)))),
        new("unknown op or enum value", "enum", d => At(d, IsOneOfAFewWords, s => s.Set("fuzzUnknown"))),
        new("change without op", "oneOf", d => At(d, s => IsDiscriminator(s.Schema), s => s.Remove())),
        new("number out of range", "number", d => At(d, s => TypeOf(s.Schema) is "number" or "integer", s => d.SetRaw(s, Pick(d.Random, ExtremeNumbers)))),
        new("invalid GUID", "uuid", d => At(d, s => FormatOf(s.Schema) == "uuid", s => s.Set(Pick(d.Random, InvalidGuids)))),
        new("all-zero GUID", "uuid", d => At(d, s => FormatOf(s.Schema) == "uuid", s => s.Set(Guid.Empty.ToString()))),
        new("invalid date", "date-time", d => At(d, s => FormatOf(s.Schema) == "date-time", s => s.Set(Pick(d.Random, InvalidDates)))),
        new("extra property", "body", d => At(d, s => s.Value is JsonObject, s => s.Value!.AsObject().TryAdd("fuzzExtra", 1)) || d.Body!.AsObject().TryAdd("fuzzExtra", 1)),
        new("duplicate property", "body", DuplicateFirstProperty),
        new("truncated JSON", "body", Always(d => d.Text = d.BodyText()![..d.Random.Next(1, d.BodyText()!.Length)])),
        new("invalid JSON", "body", Always(d => d.Text = Pick(d.Random, InvalidJson)(d.BodyText()!))),
        new("nesting 200 deep", "body", d => At(d, _ => true, s => d.SetRaw(s, new string('[', 200) + new string(']', 200)))),
        new("1,001 array items", "array", d => At(d, s => s.Value is JsonArray { Count: > 0 }, s => s.Set(new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => s.Value![0]?.DeepClone())])))),
        new("wrong Content-Type", "body", Always(d => d.ContentType = Pick(d.Random, WrongContentTypes))),
        // Without a Content-Type (or as text/json) a body is still read as JSON: a bad one must meet the same checks.
        new("bad body without Content-Type", "body", Always(d => (d.ContentType, d.Text) = (Pick(d.Random, [null, "text/json"]), Pick(d.Random, BadBodies)))),
        new("body over 1 MB", "text", d => At(d, IsText, s => s.Set(new string('a', 1_100_000)))),
    ];

    private static Func<Draft, bool> Always(Action<Draft> change) => draft =>
    {
        change(draft);
        return true;
    };

    private static bool IsText(Slot slot) => IsDiscriminator(slot.Schema) || (TypeOf(slot.Schema) == "string" && FormatOf(slot.Schema) is null);

    private static JsonNode WrongType(JsonElement schema) => TypeOf(schema) switch
    {
        "string" => 42,
        "number" or "integer" => "lots",
        "boolean" => "yes",
        "array" => new JsonObject(),
        _ => new JsonArray(1, 2),
    };

    /// <summary>Changes the value a random slot of the body holds; false when the instance has no slot of that kind.</summary>
    private static bool At(Draft draft, Func<Slot, bool> where, Action<Slot> change)
    {
        if (draft.PickSlot(where) is not { } slot) return false;
        change(slot);
        return true;
    }

    private static void AddOddHeader(Draft draft)
    {
        var (name, value) = Pick(draft.Random, OddHeaders);
        draft.Headers[name] = value;
    }

    private static bool SetPath(Draft draft, Func<FuzzParameter, bool> where, Func<FuzzParameter, string> value)
    {
        var candidates = draft.Operation.Parameters.Where(p => p.In == "path" && where(p)).ToList();
        if (candidates.Count == 0) return false;
        var parameter = Pick(draft.Random, candidates);
        draft.Path[parameter.Name] = value(parameter);
        return true;
    }

    private static bool SetQuery(Draft draft, Func<FuzzParameter, string> value)
    {
        var parameter = Pick(draft.Random, [.. draft.Operation.Parameters.Where(p => p.In == "query")]);
        draft.Query.RemoveAll(q => q.Key == parameter.Name);
        draft.Query.Add(new(parameter.Name, value(parameter)));
        return true;
    }

    private static bool AllQueryParameters(Draft draft)
    {
        draft.Query.Clear();
        draft.Query.AddRange(draft.Operation.Parameters.Where(p => p.In == "query" && !p.IsCursor).Select(p => KeyValuePair.Create(p.Name, draft.Fuzzer.QueryValue(p, draft.Random))));
        return true;
    }

    private static Guid[] OtherKindsOfIds(FuzzIds ids, string name) =>
        [.. ids.ByKind.Where(k => k.Key != FuzzIds.KindOf(name)).SelectMany(k => k.Value)];

    /// <summary>The body's first property again, last, with a value of the wrong type: does the last one win, or is it refused?</summary>
    private static bool DuplicateFirstProperty(Draft draft)
    {
        if (draft.Body is not JsonObject { Count: > 0 } body) return false;
        var text = draft.BodyText()!;
        draft.Text = $"{text[..^1]},\"{body.First().Key}\":[1,2]}}";
        return true;
    }
}
