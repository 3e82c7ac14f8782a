using Governance.Identity;
using Governance.Infrastructure;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Governance.Webhooks;

/// <summary><c>circleId</c>: only changes in that circle and the circles inside it. <c>secret</c>: a Standard Webhooks secret of your own, else one is made.</summary>
public sealed record CreateWebhook(string Url, IReadOnlyList<string> Events, Guid? CircleId = null, string? Secret = null);

/// <summary>A new subscription: <c>secret</c> is shown this once (it signs every delivery).</summary>
public sealed record WebhookCreatedResponse(Guid Id, string Url, IReadOnlyList<string> Events, Guid? CircleId, string Secret);

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, Guid? CircleId, DateTimeOffset CreatedAt);

/// <summary>An organisation's webhook subscriptions, managed by its admins (API keys only read).</summary>
public static class Subscribing
{
    public const int MaxPerOrganisation = 100;

    /// <summary>Subscribe a URL to changes of who decides (CloudEvents, signed per Standard Webhooks).</summary>
    [WolverinePost("/api/orgs/{orgId}/webhooks", OperationId = "createWebhook"), Tags("Webhooks")]
    [Requires(Right.Administer), SecretInResponse]
    public static async Task<Results<Created<WebhookCreatedResponse>, ProblemHttpResult>> Create(
        Guid orgId, CreateWebhook request, LiveRegistry registry, IDocumentSession session, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (WebhookTargets.Check(request.Url, options.Value.AllowPrivateTargets) is { } badTarget) return badTarget.ToResult();
        var events = (request.Events ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (events.Count == 0 || events.Any(e => e is null || !WebhookTypes.All.Contains(e)))
        {
            return Problem.BadRequest("invalid-webhook-events", $"events is a non-empty list of {string.Join(", ", WebhookTypes.All)}.").ToResult();
        }
        if (request.Secret is { } chosen && !WebhookSubscription.IsValidSecret(chosen))
        {
            return Problem.BadRequest("invalid-webhook-secret", "secret is 'whsec_' followed by 24 to 64 bytes in base64.").ToResult();
        }
        // From a registry that has read every commit made before this request: the circle as it stands, and
        // (its watermark, below) where the subscription starts hearing: what was committed before it is not announced.
        var inCircle = await registry.ReadFreshAsync(orgId, view => request.CircleId is not { } circle || view.Now?.Roles.GetValueOrDefault(circle)?.IsCircle == true, ct);
        if (!inCircle) return Unknown.Circle(request.CircleId!.Value).ToResult();
        if (await session.Query<WebhookSubscription>().CountAsync(s => s.OrgId == orgId, ct) >= MaxPerOrganisation)
        {
            return Problem.Conflict("too-many-webhooks", $"An organisation has at most {MaxPerOrganisation} webhook subscriptions; delete one first.").ToResult();
        }
        var subscription = new WebhookSubscription(
            Guid.CreateVersion7(), orgId, request.Url, events, request.CircleId, request.Secret ?? WebhookSubscription.NewSecret(), clock.GetUtcNow(), registry.Watermark);
        session.Insert(subscription);
        return TypedResults.Created($"/api/orgs/{orgId}/webhooks/{subscription.Id}",
            new WebhookCreatedResponse(subscription.Id, subscription.Url, subscription.Events, subscription.CircleId, subscription.Secret));
    }

    /// <summary>The organisation's webhook subscriptions (without their secrets).</summary>
    [WolverineGet("/api/orgs/{orgId}/webhooks", OperationId = "listWebhooks"), Tags("Webhooks")]
    [Requires(Right.Administer)]
    public static async Task<Ok<List<WebhookResponse>>> List(Guid orgId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok((await session.Query<WebhookSubscription>().Where(s => s.OrgId == orgId).ToListAsync(ct))
            .OrderBy(s => s.Id).Select(Describe).ToList());

    /// <summary>Stop delivering to a subscription; deliveries still pending are failed, not sent.</summary>
    [WolverineDelete("/api/orgs/{orgId}/webhooks/{webhookId}", OperationId = "deleteWebhook"), Tags("Webhooks")]
    [Requires(Right.Administer)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid orgId, Guid webhookId, IDocumentSession session, CancellationToken ct)
    {
        if (await FindAsync(orgId, webhookId, session, ct) is null) return NotFound(webhookId).ToResult();
        session.Delete<WebhookSubscription>(webhookId);
        return TypedResults.NoContent();
    }

    public static async Task<WebhookSubscription?> FindAsync(Guid orgId, Guid webhookId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<WebhookSubscription>(webhookId, ct) is { } found && found.OrgId == orgId ? found : null;

    public static Problem NotFound(Guid webhookId) => Problem.NotFound("webhook-not-found", $"The organisation has no webhook {webhookId}.");

    private static WebhookResponse Describe(WebhookSubscription s) => new(s.Id, s.Url, s.Events, s.CircleId, s.CreatedAt);
}
