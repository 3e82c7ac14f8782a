using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NJsonSchema;

namespace Governance.Verify;

/// <summary>What a check of an exported record found.</summary>
/// <param name="Intact">The chain holds from the first line to the last and every event matches its schema.</param>
/// <param name="FirstBadLine">1-based line number of the first problem, if any.</param>
/// <param name="Problem">What is wrong with that line.</param>
/// <param name="Events">How many events were read.</param>
/// <param name="Registry">What the record replays to: counts of roles, people, policies and proposals.</param>
public sealed record VerificationReport(bool Intact, int? FirstBadLine, string? Problem, int Events, IReadOnlyDictionary<string, int> Registry);

/// <summary>
/// Checks an NDJSON export offline, without trusting the service (docs/audit.md): the SHA-256
/// chain, increasing sequences, each event against its JSON Schema, and replays the registry state
/// it describes (counts of what exists at the end).
/// </summary>
public static class ExportVerifier
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static async Task<VerificationReport> VerifyAsync(IEnumerable<string> lines, string schemaDirectory)
    {
        var schemas = new Dictionary<string, JsonSchema?>();
        var previous = Genesis;
        var lastSequence = long.MinValue;
        var (roles, people, policies, proposals, count) = (new HashSet<string>(), 0, new HashSet<string>(), 0, 0);
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0) continue;
            JsonElement e;
            try
            {
                e = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                return Fail(number, "not JSON", count);
            }
            var cut = line.LastIndexOf(",\"hash\":", StringComparison.Ordinal);
            if (cut < 0 || !e.TryGetProperty("hash", out var hash)) return Fail(number, "no hash", count);
            previous = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + line[..cut] + "}")));
            if (hash.GetString() != previous) return Fail(number, "hash chain broken: changed, removed, inserted or reordered here or just before", count);
            var sequence = e.GetProperty("sequence").GetInt64();
            if (sequence <= lastSequence) return Fail(number, "sequence not increasing", count);
            lastSequence = sequence;

            var type = e.GetProperty("type").GetString() ?? "";
            var name = string.Concat(type.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
            if (!schemas.TryGetValue(name, out var schema))
            {
                var file = Path.Combine(schemaDirectory, "events", name + ".json");
                schemas[name] = schema = File.Exists(file) ? await JsonSchema.FromFileAsync(file) : null;
            }
            if (schema is null) return Fail(number, $"no schema for event type '{type}'", count);
            var data = e.GetProperty("data");
            if (schema.Validate(data.GetRawText()) is { Count: > 0 } errors)
            {
                return Fail(number, $"'{type}' does not match its schema: {string.Join("; ", errors.Select(x => x.ToString()))}", count);
            }

            count++;
            switch (name)
            {
                case "RoleCreated": roles.Add(data.GetProperty("roleId").GetString()!); break;
                case "RoleRemoved": roles.Remove(data.GetProperty("roleId").GetString()!); break;
                case "PersonJoined": people++; break;
                case "PersonRemoved": people--; break;
                case "PolicyAdopted": policies.Add(data.GetProperty("policyId").GetString()!); break;
                case "PolicyRemoved": policies.Remove(data.GetProperty("policyId").GetString()!); break;
                case "ProposalSubmitted": proposals++; break;
            }
        }
        return new VerificationReport(true, null, null, count, new Dictionary<string, int>
        {
            ["roles (circles included)"] = roles.Count,
            ["people"] = people,
            ["policies"] = policies.Count,
            ["proposals"] = proposals,
        });
    }

    private static VerificationReport Fail(int line, string problem, int events) =>
        new(false, line, problem, events, new Dictionary<string, int>());
}
