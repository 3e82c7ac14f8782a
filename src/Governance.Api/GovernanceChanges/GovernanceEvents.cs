using Governance.Registry;

namespace Governance.GovernanceChanges;

/// <summary>
/// The record of one adopted batch of governance changes on a circle (§5.2), appended to the
/// circle's governance log. Its stream version is the circle's governance version, the
/// optimistic-concurrency token behind <c>If-Match</c>. <c>MeetingId</c>: the governance meeting
/// that decided it (§5.4), when one did; <c>Strikes</c>: the earlier record it strikes (§4.2.2).
/// </summary>
public sealed record GovernanceChangesAdopted(
    Guid CircleId,
    Guid OrgId,
    IReadOnlyList<AdoptedChange> Changes,
    Guid? ProposalId = null,
    Guid? MeetingId = null,
    StruckRecord? Strikes = null) : IStreamOpening;

/// <summary>
/// The record a batch strikes (§4.2.2): the Secretary found the governance at <c>Version</c> of the
/// circle's log to violate the constitution; the batch's changes undo its effect. The struck record stays.
/// </summary>
public sealed record StruckRecord(long Version, string Reason);

/// <summary>One change of an adopted batch and the role or policy it touched.</summary>
public sealed record AdoptedChange(string Op, Guid? RoleId);
