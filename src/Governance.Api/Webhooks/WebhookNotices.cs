using Governance.Roles;
using JasperFx.Events;
using Wolverine.Attributes;

namespace Governance.Webhooks;

/// <summary>
/// What a committed event means to subscribers: one of <see cref="WebhookTypes"/> and the ids it
/// names. <c>CircleId</c>: the circle the change is in, when the event says it. <c>At</c>, <c>Sequence</c>:
/// when the event was recorded, and its place in the store (absent in notices that earlier versions
/// stored through the outbox).
/// </summary>
[MessageIdentity("webhook-notice")]
public sealed record WebhookNotice(
    Guid EventId, Guid StreamId, string Type, Guid? RoleId = null, Guid? CircleId = null, Guid? PersonId = null,
    Guid? PolicyId = null, IReadOnlyList<string>? DomainKeys = null, string? Focus = null, string? Change = null, Guid? FromCircleId = null,
    DateTimeOffset? At = null, long? Sequence = null);

public static class WebhookNotices
{
    /// <summary>What each kind of event that subscribers hear of becomes, a pure function of the event.</summary>
    private static readonly Dictionary<Type, Func<IEvent, WebhookNotice>> Notices = new(
    [
        On<DomainDelegated>((e, d) => Notice(e, WebhookTypes.DecisionRightsChanged) with { RoleId = d.RoleId, CircleId = d.CircleId, DomainKeys = [d.Key], Change = "delegated" }),
        On<DomainRevoked>((e, d) => Notice(e, WebhookTypes.DecisionRightsChanged) with { RoleId = d.RoleId, DomainKeys = [d.Key], Change = "revoked" }),
        On<RoleMoved>((e, m) => Notice(e, WebhookTypes.DecisionRightsChanged) with
        {
            RoleId = m.RoleId,
            CircleId = m.ToCircleId,
            FromCircleId = m.FromCircleId,
            DomainKeys = [.. m.Domains.Select(d => d.Key)],
            Change = "moved",
        }),
        On<PersonAssignedToRole>((e, a) => Notice(e, WebhookTypes.RoleFilled) with { RoleId = a.RoleId, PersonId = a.PersonId, Focus = a.Focus, Change = "assigned" }),
        On<PersonElectedToRole>((e, el) => Notice(e, WebhookTypes.RoleFilled) with { RoleId = el.RoleId, PersonId = el.PersonId, Change = "elected" }),
        On<PersonUnassignedFromRole>((e, u) => Notice(e, WebhookTypes.RoleUnfilled) with { RoleId = u.RoleId, PersonId = u.PersonId }),
        On<RoleRemoved>((e, r) => Notice(e, WebhookTypes.RoleRemoved) with { RoleId = r.RoleId }),
        On<PolicyAdopted>((e, p) => Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = p.PolicyId, CircleId = p.CircleId, DomainKeys = Keys(p.DomainKey), Change = "adopted" }),
        On<PolicyAmended>((e, p) => Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = p.PolicyId, CircleId = p.CircleId, DomainKeys = Keys(p.DomainKey), Change = "amended" }),
        On<PolicyRemoved>((e, p) => Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = p.PolicyId, CircleId = p.CircleId, Change = "removed" }),
    ]);

    /// <summary>The kinds of events that become notices (the subscription reads only these).</summary>
    public static IEnumerable<Type> EventTypes => Notices.Keys;

    /// <summary>The notice an event becomes; null for the kinds no subscriber hears of.</summary>
    public static WebhookNotice? Of(IEvent e) => Notices.TryGetValue(e.EventType, out var notice) ? notice(e) : null;

    private static KeyValuePair<Type, Func<IEvent, WebhookNotice>> On<T>(Func<IEvent, T, WebhookNotice> notice) => new(typeof(T), e => notice(e, (T)e.Data));

    private static WebhookNotice Notice(IEvent e, string type) => new(e.Id, e.StreamId, type, At: e.Timestamp, Sequence: e.Sequence);

    private static IReadOnlyList<string> Keys(string? key) => key is null ? [] : [key];

    /// <summary>The CloudEvent's <c>data</c>: what a subscriber needs to re-ask "who decides?", nothing it must not see.</summary>
    public static Dictionary<string, object?> Data(WebhookNotice notice) => notice.Type switch
    {
        WebhookTypes.DecisionRightsChanged => new() { ["roleId"] = notice.RoleId, ["domainKeys"] = notice.DomainKeys ?? [], ["change"] = notice.Change },
        WebhookTypes.RoleFilled => new() { ["roleId"] = notice.RoleId, ["personId"] = notice.PersonId, ["focus"] = notice.Focus, ["change"] = notice.Change },
        WebhookTypes.RoleUnfilled => new() { ["roleId"] = notice.RoleId, ["personId"] = notice.PersonId },
        WebhookTypes.PolicyChanged => new() { ["policyId"] = notice.PolicyId, ["circleId"] = notice.CircleId, ["domainKeys"] = notice.DomainKeys ?? [], ["change"] = notice.Change },
        _ => new() { ["roleId"] = notice.RoleId },
    };

    /// <summary>The CloudEvent's <c>subject</c>: the role or policy it is about.</summary>
    public static string Subject(WebhookNotice notice) =>
        notice.PolicyId is { } policy ? $"policies/{policy}" : $"roles/{notice.RoleId}";
}
