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

    /// <summary>§1.3.5: the circle's Secretary records its governance outputs (a meeting's adopted changes).</summary>
    public static Problem? MayRecordGovernance(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("not-the-secretary", "Only the circle's Secretary records its governance.",
                $"Governance of '{circle.Circle.Name}' is recorded by its Secretary or an admin; others propose changes instead (POST .../proposals).", "§1.3.5");

    /// <summary>§5.3.5: the Facilitator runs the circle's elections; the Secretary records them.</summary>
    public static Problem? MayHoldElection(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || Fills(caller, circle, ElectedRoles.Facilitator) || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("not-facilitator-or-secretary", "Only the circle's Facilitator or Secretary records its elections.",
                $"Elections in '{circle.Circle.Name}' are recorded by its Facilitator, its Secretary or an admin.", "§5.3.5");

    /// <summary>
    /// §5.1: people take part in governance as themselves; a proposer or objector other than the
    /// caller is recorded only by an admin or the circle's Secretary (e.g. from a meeting).
    /// </summary>
    public static Problem? MaySpeakFor(Caller caller, Guid personId, CircleSnapshot circle, string asWhat) =>
        caller.Is(personId) || caller.IsAdmin || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("speaks-for-another", "A Circle Member speaks for themselves.",
                $"Only person {personId} can {asWhat} as themselves; the circle's Secretary or an admin may record it for them.", "§5.1");

    /// <summary>§5.3: the proposer, or the Facilitator or Secretary (in a meeting), adopts and integrates.</summary>
    public static Problem? MayConclude(Caller caller, Proposal proposal, CircleSnapshot circle) =>
        caller.Is(proposal.ProposerId) || caller.IsAdmin || Fills(caller, circle, ElectedRoles.Facilitator) || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("not-proposer-facilitator-or-secretary", "Only the proposer, the Facilitator or the Secretary takes this step.",
                $"A proposal of '{circle.Circle.Name}' is integrated or adopted by its proposer, the circle's Facilitator or Secretary, or an admin.", "§5.3");

    /// <summary>§5.4: the Secretary schedules the circle's meetings and the Facilitator runs them; they open and close them.</summary>
    public static Problem? MayRunMeeting(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || Fills(caller, circle, ElectedRoles.Facilitator) || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("not-facilitator-or-secretary", "Only the circle's Facilitator or Secretary opens and closes its meetings.",
                $"Meetings of '{circle.Circle.Name}' are scheduled by its Secretary and run by its Facilitator (or an admin).", "§5.4");

    /// <summary>§5.3.1, §5.3.4: the Facilitator discards a proposal that is not valid, or that its proposer dropped.</summary>
    public static Problem? MayDiscard(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || Fills(caller, circle, ElectedRoles.Facilitator)
            ? null
            : Problem.Forbidden("not-the-facilitator", "Only the circle's Facilitator discards a proposal.",
                $"A proposal of '{circle.Circle.Name}' that does not meet the proposal requirements is discarded by its Facilitator (or an admin).", "§5.3.1");

    /// <summary>§4.2.1, §4.2.2: the circle's Secretary rules on interpretations and strikes invalid governance.</summary>
    public static Problem? MayRule(Caller caller, CircleSnapshot circle) =>
        caller.IsAdmin || Fills(caller, circle, ElectedRoles.Secretary)
            ? null
            : Problem.Forbidden("not-the-secretary", "Only the circle's Secretary rules on the interpretation of its governance.",
                $"Interpretations in '{circle.Circle.Name}' are ruled, and invalid governance struck, by its Secretary (or an admin); ask them, or the Secretary of a super-circle.", "§4.2.1");

    /// <summary>§5.3.1: the proposal is the proposer's; they alone amend or withdraw it (not even an admin).</summary>
    public static Problem? MayChange(Caller caller, Proposal proposal) =>
        caller.Is(proposal.ProposerId)
            ? null
            : Problem.Forbidden("not-the-proposer", "Only the proposer amends or withdraws a proposal.",
                "The proposal is its proposer's to amend or withdraw; others object, or make a proposal of their own.", "§5.3.1");

    private static bool Fills(Caller caller, CircleSnapshot circle, string electedRole) =>
        caller.PersonId is { } person && circle.Roles.Any(r => r.ElectedRole == electedRole && r.FillerIds.Contains(person));
}
