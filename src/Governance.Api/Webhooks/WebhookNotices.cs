using Governance.Roles;
using JasperFx.Events;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Governance.Webhooks;

/// <summary>
/// What a committed event means to subscribers: one of <see cref="WebhookTypes"/> and the ids it
/// names. Forwarded by Wolverine's outbox in the transaction that appends the event, so there is no
/// event without its notice and no notice of an uncommitted event. <c>CircleId</c>: the circle the
/// change is in, when the event says it.
/// </summary>
[MessageIdentity("webhook-notice")]
public sealed record WebhookNotice(
    Guid EventId, Guid StreamId, string Type, Guid? RoleId = null, Guid? CircleId = null, Guid? PersonId = null,
    Guid? PolicyId = null, IReadOnlyList<string>? DomainKeys = null, string? Focus = null, string? Change = null, Guid? FromCircleId = null);

public static class WebhookNotices
{
    /// <summary>The events that become notices, each by a pure function of the event.</summary>
    public static void Forward(MartenIntegration integration)
    {
        // Forwarding at SaveChangesAsync, out of the session's outbox; only events with a subscriber (the transformations below) go.
        integration.UseFastEventForwarding = true;
        integration.SubscribeToEvent<DomainDelegated>().TransformedTo(e =>
            Notice(e, WebhookTypes.DecisionRightsChanged) with { RoleId = e.Data.RoleId, CircleId = e.Data.CircleId, DomainKeys = [e.Data.Key], Change = "delegated" });
        integration.SubscribeToEvent<DomainRevoked>().TransformedTo(e =>
            Notice(e, WebhookTypes.DecisionRightsChanged) with { RoleId = e.Data.RoleId, DomainKeys = [e.Data.Key], Change = "revoked" });
        integration.SubscribeToEvent<RoleMoved>().TransformedTo(e =>
            Notice(e, WebhookTypes.DecisionRightsChanged) with
            {
                RoleId = e.Data.RoleId,
                CircleId = e.Data.ToCircleId,
                FromCircleId = e.Data.FromCircleId,
                DomainKeys = [.. e.Data.Domains.Select(d => d.Key)],
                Change = "moved",
            });
        integration.SubscribeToEvent<PersonAssignedToRole>().TransformedTo(e =>
            Notice(e, WebhookTypes.RoleFilled) with { RoleId = e.Data.RoleId, PersonId = e.Data.PersonId, Focus = e.Data.Focus, Change = "assigned" });
        integration.SubscribeToEvent<PersonElectedToRole>().TransformedTo(e =>
            Notice(e, WebhookTypes.RoleFilled) with { RoleId = e.Data.RoleId, PersonId = e.Data.PersonId, Change = "elected" });
        integration.SubscribeToEvent<PersonUnassignedFromRole>().TransformedTo(e =>
            Notice(e, WebhookTypes.RoleUnfilled) with { RoleId = e.Data.RoleId, PersonId = e.Data.PersonId });
        integration.SubscribeToEvent<RoleRemoved>().TransformedTo(e =>
            Notice(e, WebhookTypes.RoleRemoved) with { RoleId = e.Data.RoleId });
        integration.SubscribeToEvent<PolicyAdopted>().TransformedTo(e =>
            Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = e.Data.PolicyId, CircleId = e.Data.CircleId, DomainKeys = Keys(e.Data.DomainKey), Change = "adopted" });
        integration.SubscribeToEvent<PolicyAmended>().TransformedTo(e =>
            Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = e.Data.PolicyId, CircleId = e.Data.CircleId, DomainKeys = Keys(e.Data.DomainKey), Change = "amended" });
        integration.SubscribeToEvent<PolicyRemoved>().TransformedTo(e =>
            Notice(e, WebhookTypes.PolicyChanged) with { PolicyId = e.Data.PolicyId, CircleId = e.Data.CircleId, Change = "removed" });
    }

    private static WebhookNotice Notice(IEvent e, string type) => new(e.Id, e.StreamId, type);

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
