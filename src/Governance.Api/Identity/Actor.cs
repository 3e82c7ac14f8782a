using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.Events;

namespace Governance.Identity;

/// <summary>
/// Who did something: a person, an API key, the development user or the service itself (e.g. a
/// deadline). Stored in each event's metadata (header <see cref="Header"/>) and shown in history,
/// timelines, the export and the proposal record. Events from before actors were kept have none.
/// </summary>
public sealed record Actor(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? PersonId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ApiKeyId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public const string Header = "actor";

    public static class Kinds
    {
        public const string Person = "person";
        public const string ApiKey = "apiKey";
        public const string Development = "development";
        public const string System = "system";
    }

    public static readonly Actor DevelopmentUser = new(Kinds.Development, Name: "Development user");

    public static Actor OfPerson(Guid personId, string name) => new(Kinds.Person, personId, name);

    public static Actor OfApiKey(Guid keyId, string name) => new(Kinds.ApiKey, Name: name, ApiKeyId: keyId);

    public static Actor OfSystem(string reason) => new(Kinds.System, Reason: reason);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The actor recorded with an event; null for events recorded before actors were.</summary>
    public static Actor? Of(IEvent e) => e.Headers?.GetValueOrDefault(Header) switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } element => element.Deserialize<Actor>(Json),
        Actor actor => actor,
        string text => JsonSerializer.Deserialize<Actor>(text, Json),
        _ => null,
    };
}
