using Governance.GovernanceChanges;
using Governance.Infrastructure;
using Governance.Proposals;
using Governance.Roles;

namespace Governance.Identity;

/// <summary>
/// Who may change what, as the constitution assigns it, decided from the caller and the circle
/// (pure, like the governance rules). An admin of the organisation may do each of these too, except
/// amending or withdrawing another's proposal (the development user is an admin of every
/// organisation). Each refusal is a 403 naming the rule.
/// </summary>
public static class Authority
{
    /// <summary>§1.4.1: the Circle Lead assigns the circle's roles (the Anchor Circle has none: admins do).</summary>
    public static Problem? MayAssign(Caller caller, Role? circle) =>
        caller.IsAdmin || (caller.PersonId is { } person && circle is not null && circle.FillerIds.Contains(person))
            ? null
            : Problem.Forbidden("not-the-circle-lead", "Only the circle's Circle Lead assigns its roles.",
                circle is null or { IsAnchorCircle: true }
                    ? "The Anchor Circle has no Circle Lead: it and its roles are assigned by an admin."
                    : $"Roles of '{circle.Name}' are assigned by its Circle Lead (whoever fills '{circle.Name}' in its super-circle) or an admin.", "§1.4.1");

    /// <summary>§1.3.5, §5.1.2: the circle's Secretary (or its surrogate, §5.3.6) records its governance outputs (a meeting's adopted changes).</summary>
    public static Problem? MayRecordGovernance(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Refused(circle, "not-the-secretary", "Only the circle's Secretary records its governance.",
                $"Governance of '{circle.Circle.Name}' is recorded by its Secretary or an admin; others propose changes instead (POST .../proposals).", "§1.3.5",
                ElectedRoles.Secretary);

    /// <summary>§5.3.5: the Facilitator runs the circle's elections; the Secretary records them (or their surrogates, §5.3.6).</summary>
    public static Problem? MayHoldElection(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Facilitator) || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Refused(circle, "not-facilitator-or-secretary", "Only the circle's Facilitator or Secretary records its elections.",
                $"Elections in '{circle.Circle.Name}' are recorded by its Facilitator, its Secretary or an admin.", "§5.3.5",
                ElectedRoles.Facilitator, ElectedRoles.Secretary);

    /// <summary>
    /// §5.1: people take part in governance as themselves; a proposer or objector other than the
    /// caller is recorded only by an admin or the circle's Secretary (or its surrogate, §5.3.6), e.g. from a meeting.
    /// </summary>
    public static Problem? MaySpeakFor(Caller caller, Guid personId, CircleSnapshot circle, string asWhat) =>
        caller.Is(personId) || caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("speaks-for-another", "A Circle Member speaks for themselves.",
                $"Only person {personId} can {asWhat} as themselves; the circle's Secretary (or who acts as Secretary, §5.3.6) or an admin may record it for them.", "§5.1");

    /// <summary>§5.3: the proposer, or the Facilitator or Secretary (in a meeting; or their surrogates, §5.3.6), adopts and integrates.</summary>
    public static Problem? MayConclude(Caller caller, Proposal proposal, CircleSnapshot circle) =>
        caller.Is(proposal.ProposerId) || caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Facilitator) || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Refused(circle, "not-proposer-facilitator-or-secretary", "Only the proposer, the Facilitator or the Secretary takes this step.",
                $"A proposal of '{circle.Circle.Name}' is integrated or adopted by its proposer, the circle's Facilitator or Secretary, or an admin.", "§5.3",
                ElectedRoles.Facilitator, ElectedRoles.Secretary);

    /// <summary>§5.4: the Secretary schedules the circle's meetings and the Facilitator runs them (or their surrogates, §5.3.6); they open and close them.</summary>
    public static Problem? MayRunMeeting(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Facilitator) || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Refused(circle, "not-facilitator-or-secretary", "Only the circle's Facilitator or Secretary opens and closes its meetings.",
                $"Meetings of '{circle.Circle.Name}' are scheduled by its Secretary and run by its Facilitator (or an admin).", "§5.4",
                ElectedRoles.Facilitator, ElectedRoles.Secretary);

    /// <summary>§5.3.1, §5.3.4: the Facilitator (or its surrogate, §5.3.6) discards a proposal that is not valid, or that its proposer dropped.</summary>
    public static Problem? MayDiscard(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Facilitator)
            ? null
            : Refused(circle, "not-the-facilitator", "Only the circle's Facilitator discards a proposal.",
                $"A proposal of '{circle.Circle.Name}' that does not meet the proposal requirements is discarded by its Facilitator (or an admin).", "§5.3.1",
                ElectedRoles.Facilitator);

    /// <summary>§4.2.1, §4.2.2: the circle's Secretary (or its surrogate, §5.3.6) rules on interpretations and strikes invalid governance.</summary>
    public static Problem? MayRule(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || ActsAs(caller, circle, ElectedRoles.Secretary)
            ? null
            : Refused(circle, "not-the-secretary", "Only the circle's Secretary rules on the interpretation of its governance.",
                $"Interpretations in '{circle.Circle.Name}' are ruled, and invalid governance struck, by its Secretary (or an admin); ask them, or the Secretary of a super-circle.", "§4.2.1",
                ElectedRoles.Secretary);

    /// <summary>§5.3.1: the proposal is the proposer's; they alone amend or withdraw it (not even an admin).</summary>
    public static Problem? MayChange(Caller caller, Proposal proposal) =>
        caller.Is(proposal.ProposerId)
            ? null
            : Problem.Forbidden("not-the-proposer", "Only the proposer amends or withdraws a proposal.",
                "The proposal is its proposer's to amend or withdraw; others object, or make a proposal of their own.", "§5.3.1");

    /// <summary>Who acts as the circle's Facilitator or Secretary: its holder, or while unfilled its surrogate (§5.3.6).</summary>
    public static Surrogates.Acting Acting(CircleSnapshot circle, string electedRole) =>
        Surrogates.ActingAs(electedRole, e => circle.Roles.FirstOrDefault(r => r.ElectedRole == e), circle.Circle.FillerIds);

    private static bool ActsAs(Caller caller, CircleSnapshot circle, string electedRole) =>
        caller.PersonId is { } person && Acting(circle, electedRole).PersonIds.Contains(person);

    /// <summary>
    /// The refusal of a step that the given roles take. When a surrogate (§5.3.6) is what lets
    /// someone other than the roles' holders take it, that rule is cited and the detail says who
    /// stands in; otherwise the step's own rule (and, when nobody acts, that nobody does).
    /// </summary>
    private static Problem Refused(CircleSnapshot circle, string type, string title, string detail, string section, params string[] electedRoles)
    {
        var acting = electedRoles.Select(e => Acting(circle, e)).ToList();
        var holders = acting.Where(a => a.Basis == Surrogates.Basis.Elected).SelectMany(a => a.PersonIds).ToHashSet();
        var standIns = acting.Where(a => a.IsSurrogate && a.PersonIds.Any(p => !holders.Contains(p))).ToList();
        var notes = Surrogates.Describe([.. acting.Where(a => standIns.Contains(a) || a.Basis == Surrogates.Basis.Nobody)]);
        return Problem.Forbidden(type, title, notes.Length == 0 ? detail : $"{detail} {notes}", standIns.Count > 0 ? "§5.3.6" : section);
    }
}
