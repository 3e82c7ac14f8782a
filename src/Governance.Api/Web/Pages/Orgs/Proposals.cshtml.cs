using System.Globalization;
using Governance.GovernanceChanges;
using Governance.Identity;
using Governance.Infrastructure;
using Governance.Proposals;
using Governance.Registry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Web.Pages.Orgs;

/// <summary>
/// Governance in the browser: a member's inbox (the open proposals awaiting their answer, answered
/// with no objection, an objection, or a request for a meeting), the organisation's open proposals,
/// and a proposal submitted as a form. Every step goes through the API's own functions, so its
/// checks and its §-cited problems are the API's.
/// </summary>
public sealed class ProposalsModel(LiveRegistry registry, IQuerySession query, PageWrites writes, TimeProvider clock) : OrgPageModel(registry)
{
    /// <summary>Whom the page speaks for: a signed-in person always themselves; the development user or an admin key names someone.</summary>
    [FromQuery(Name = "as")]
    public Guid? As { get; set; }

    public IReadOnlyList<ProposalResponse> Awaiting { get; private set; } = [];

    public IReadOnlyList<ProposalResponse> Open { get; private set; } = [];

    /// <summary>People by id, for names and the "respond as" choice.</summary>
    public IReadOnlyDictionary<Guid, string> People { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Circles by id, for names and the proposal form.</summary>
    public IReadOnlyDictionary<Guid, string> Circles { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The roles a proposal may change (every role in a circle), by label, for the change form.</summary>
    public IReadOnlyList<(Guid Id, string Label)> ChangeableRoles { get; private set; } = [];

    /// <summary>The role the change form starts with (a role page links here with it).</summary>
    [FromQuery(Name = "role")]
    public Guid? ChosenRole { get; set; }

    /// <summary>What the last step did, or why it was refused.</summary>
    public string? Message { get; private set; }

    public Problem? StepProblem { get; private set; }

    /// <summary>The person the page speaks for, if any.</summary>
    public Guid? Speaker => Caller.PersonId ?? As;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task OnPostRespondAsync(Guid proposalId, string? response, string? reason, CancellationToken ct)
    {
        if (await MayWriteAsync(ct))
        {
            var result = await writes.RunAsync(HttpContext, (session, _) => RespondingToProposals.Respond(
                OrgId, proposalId, new RespondToProposal(response ?? "", reason, null, Speaker), Caller, Registry, session, clock, ct));
            if (Outcome(result.Result) is Created<ResponseRecorded> { Value: { } recorded })
            {
                Message = recorded.AdoptedVersion is { } version
                    ? $"Answer recorded: every member consented, so the proposal is adopted (governance version {version})."
                    : $"Answer recorded ({Describe(recorded.Response)}); the proposal is {recorded.Status}.";
            }
        }
        await LoadAsync(ct);
    }

    public async Task OnPostProposeAsync(Guid circleId, string? tension, string? roleName, string? purpose, string? accountability, string? domainKey, string? respondBy, CancellationToken ct)
    {
        if (await MayWriteAsync(ct))
        {
            var change = new CreateRole(roleName ?? "", purpose,
                Filled(accountability) is { } text ? [text] : [],
                DomainFrom(domainKey) is { } domain ? [domain] : []);
            await SubmitAsync(circleId, tension, [change], respondBy, ct);
        }
        await LoadAsync(ct);
    }

    /// <summary>
    /// A proposal to change one role: each field filled in is one change (rename, new purpose, an
    /// accountability, a domain), or the role's removal; submitted in the role's circle.
    /// </summary>
    public async Task OnPostChangeAsync(Guid roleId, string? tension, string? newName, string? newPurpose, string? accountability, string? domainKey, bool remove, string? respondBy, CancellationToken ct)
    {
        ChosenRole = roleId;
        if (await MayWriteAsync(ct))
        {
            var circleId = await Registry.ReadAsync(OrgId, null, snapshot => snapshot?.Roles.GetValueOrDefault(roleId)?.CircleId, ct);
            if (circleId is null)
            {
                Refuse(Unknown.Role(roleId));
            }
            else
            {
                List<GovernanceChange> changes = remove ? [new RemoveRole(roleId)] : [];
                if (!remove)
                {
                    if (Filled(newName) is not null || Filled(newPurpose) is not null) changes.Add(new UpdateRole(roleId, Filled(newName), Filled(newPurpose)));
                    if (Filled(accountability) is { } text) changes.Add(new AddAccountability(roleId, text));
                    if (DomainFrom(domainKey) is { } domain) changes.Add(new AddDomain(roleId, domain));
                }
                await SubmitAsync(circleId.Value, tension, changes, respondBy, ct);
            }
        }
        await LoadAsync(ct);
    }

    private async Task SubmitAsync(Guid circleId, string? tension, IReadOnlyList<GovernanceChange> changes, string? respondBy, CancellationToken ct)
    {
        DateTimeOffset? deadline = DateTimeOffset.TryParse(respondBy, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        var result = await writes.RunAsync(HttpContext, (session, bus) => ProposingChanges.Submit(
            OrgId, circleId, new SubmitProposal(tension ?? "", changes, Speaker, deadline), Caller, Registry, session, bus, clock, ct));
        if (Outcome(result.Result) is Created<ProposalCreatedResponse> { Value: { } created })
        {
            Message = $"Proposal submitted ({created.Status}): the circle's members are asked to respond.";
        }
    }

    private static string? Filled(string? field) => string.IsNullOrWhiteSpace(field) ? null : field.Trim();

    /// <summary>A domain from its key alone: the title is the key's last segment in words ("customer-service/refunds" → "refunds").</summary>
    private static DomainInput? DomainFrom(string? key) =>
        Filled(key) is { } k ? new DomainInput(k, k.Split('/')[^1].Replace('-', ' ')) : null;

    /// <summary>A write needs the write right and someone to speak for (as in the API).</summary>
    private async Task<bool> MayWriteAsync(CancellationToken ct)
    {
        if (!await BeginAsync(ct)) return false;
        if (Standing.Refusal(Caller, Right.Write) is { } refused) return Refuse(refused);
        return Speaker is not null || Refuse(Infrastructure.Problem.BadRequest("no-speaker", "Choose whom you respond or propose as."));
    }

    private object Outcome(object result)
    {
        if (result is ProblemHttpResult problem) Refuse(WebProblem.From(problem));
        return result;
    }

    private bool Refuse(Problem problem)
    {
        StepProblem = problem;
        Response.StatusCode = problem.Status;
        return false;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Organisation is null && Problem is null && !await BeginAsync(ct)) return;
        if (Problem is not null) return;
        // One snapshot for the names, the circles and the roles a change may name.
        (People, Circles, ChangeableRoles) = await Registry.ReadAsync(OrgId, null, snapshot => snapshot is null
            ? (new Dictionary<Guid, string>(), new Dictionary<Guid, string>(), [])
            : ((IReadOnlyDictionary<Guid, string>)snapshot.People.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.Id, p => p.Name),
               (IReadOnlyDictionary<Guid, string>)snapshot.Circles.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(c => c.Id, c => c.Name),
               (IReadOnlyList<(Guid, string)>)[.. snapshot.Roles.Values
                   .Where(r => r.CircleId is not null)
                   .Select(r => (r.Id, $"{r.Name} ({snapshot.Roles.GetValueOrDefault(r.CircleId!.Value)?.Name})"))
                   .OrderBy(r => r.Item2, StringComparer.OrdinalIgnoreCase)]), ct);
        // In the past there is nothing to answer or propose: the page shows the proposals open then.
        if (Instant is null && Speaker is { } person && Take(await ListingProposals.List(OrgId, null, null, person, null, null, Registry, query, ct)) is { } awaiting) Awaiting = awaiting.Items;
        if (Take(await ListingProposals.List(OrgId, null, ProposalStatus.Open, null, null, AsOf, Registry, query, ct)) is { } open) Open = open.Items;
        var named = Awaiting.Concat(Open).SelectMany(p => p.Changes).SelectMany(Named).ToHashSet();
        Roles = await Registry.ReadAsync(OrgId, null, snapshot => (IReadOnlyDictionary<Guid, string>)named
            .Where(id => snapshot?.Roles.ContainsKey(id) == true).ToDictionary(id => id, id => snapshot!.Roles[id].Name), ct);
    }

    /// <summary>The names of the roles the listed proposals change.</summary>
    public IReadOnlyDictionary<Guid, string> Roles { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The role a change acts on, and a move's target circle.</summary>
    private static IEnumerable<Guid> Named(GovernanceChange change) =>
        new[] { GovernanceChange.TargetOf(change), (change as MoveRole)?.ToCircleId }.OfType<Guid>();

    public string NameOf(Guid personId) => People.GetValueOrDefault(personId) ?? "someone who left";

    public static string Describe(string response) => response switch
    {
        Responses.NoObjection => "no objection",
        Responses.Objection => "an objection",
        Responses.BringToMeeting => "bring it to a meeting",
        _ => response,
    };

    /// <summary>A change in a line: its op and what it names.</summary>
    public string Describe(GovernanceChange change) => change switch
    {
        CreateRole c => $"Create the role “{c.Name}”" + (c.Domains is { Count: > 0 } d ? $" with the domain {string.Join(", ", d.Select(x => x.Key))}" : ""),
        UpdateRole c => $"Change the role {RoleName(c.RoleId)}" + (c.Name is { } n ? $": name “{n}”" : "") + (c.Purpose is { } p ? $": purpose “{p}”" : ""),
        AddAccountability c => $"Add to {RoleName(c.RoleId)} the accountability “{c.Text}”",
        RemoveAccountability c => $"Remove from {RoleName(c.RoleId)} the accountability “{c.Text}”",
        AddDomain c => $"Give {RoleName(c.RoleId)} the domain {c.Domain?.Key}",
        RemoveDomain c => $"Take from {RoleName(c.RoleId)} the domain {c.Key}",
        AddPolicy c => $"Adopt the policy “{c.Policy?.Title}”",
        AmendPolicy c => $"Amend a policy: “{c.Policy?.Title}”",
        RemovePolicy => "Remove a policy",
        RemoveRole c => $"Remove the role {RoleName(c.RoleId)}",
        MoveRole c => $"Move the role {RoleName(c.RoleId)} to {RoleName(c.ToCircleId)}",
        ConvertToCircle c => $"Make {RoleName(c.RoleId)} a circle",
        ConvertToRole c => $"Make the circle {RoleName(c.RoleId)} a role again",
        _ => change.OpName,
    };

    private string RoleName(Guid roleId) => Roles.GetValueOrDefault(roleId) is { } name ? $"“{name}”" : "a role";
}
