namespace Governance.Roles;

/// <summary>
/// §5.3.6: while a circle's Facilitator or Secretary role is unfilled, a surrogate acts as it, in
/// this order: (a) someone the person replaced named, (b) for Facilitator the acting Secretary and
/// for Secretary the acting Facilitator, (c) the circle's Circle Lead (with several, whichever
/// declares first), (d) the first Circle Member to declare. The service records no naming nor
/// declaration, so (a) and (d) never apply here and every Circle Lead may act under (c)
/// (docs/decisions.md "Surrogates"). The Circle Rep has no surrogate.
/// </summary>
public static class Surrogates
{
    public enum Basis
    {
        /// <summary>The role's own elected holder acts.</summary>
        Elected,
        /// <summary>(b) the holder of the other of the two roles stands in.</summary>
        OtherRole,
        /// <summary>(c) the circle's Circle Lead stands in.</summary>
        CircleLead,
        /// <summary>Nobody: the role is unfilled and no surrogate the service knows of stands in.</summary>
        Nobody,
    }

    /// <summary>Who acts as <paramref name="ElectedRole"/> of a circle, and on what basis.</summary>
    public sealed record Acting(string ElectedRole, Basis Basis, IReadOnlyList<Guid> PersonIds)
    {
        public bool IsSurrogate => Basis is Basis.OtherRole or Basis.CircleLead;
    }

    /// <summary>Whether §5.3.6 gives the role a surrogate: the Facilitator and the Secretary.</summary>
    public static bool HasSurrogate(string? electedRole) => electedRole is ElectedRoles.Facilitator or ElectedRoles.Secretary;

    /// <summary>The role that stands in under §5.3.6(b): the Secretary for the Facilitator and the Facilitator for the Secretary.</summary>
    public static string Other(string electedRole) => electedRole == ElectedRoles.Facilitator ? ElectedRoles.Secretary : ElectedRoles.Facilitator;

    /// <summary>
    /// Who acts as the circle's <paramref name="electedRole"/>: its elected holder; while it is
    /// unfilled, the holder of the other role (b), else the circle's Circle Leads (c).
    /// </summary>
    /// <param name="electedRole">Facilitator or Secretary (the Circle Rep has no surrogate).</param>
    /// <param name="electedRoleOf">The circle's role for an elected role, if it has one.</param>
    /// <param name="circleLeads">The circle's Circle Leads: the fillers of the circle's role (§1.4).</param>
    public static Acting ActingAs(string electedRole, Func<string, Role?> electedRoleOf, IReadOnlyList<Guid> circleLeads)
    {
        if (electedRoleOf(electedRole) is { Fillers.Count: > 0 } held) return new(electedRole, Basis.Elected, held.FillerIds);
        if (!HasSurrogate(electedRole)) return new(electedRole, Basis.Nobody, []);
        if (electedRoleOf(Other(electedRole)) is { Fillers.Count: > 0 } other) return new(electedRole, Basis.OtherRole, other.FillerIds);
        return circleLeads.Count > 0 ? new(electedRole, Basis.CircleLead, circleLeads) : new(electedRole, Basis.Nobody, []);
    }

    /// <summary>Who stands in for several roles, for a refusal's detail: one sentence when both roles share one answer.</summary>
    public static string Describe(IReadOnlyList<Acting> acting)
    {
        if (acting is [var first, var second] && first.Basis == second.Basis && second.ElectedRole == Other(first.ElectedRole) && HasSurrogate(first.ElectedRole))
        {
            if (first.Basis == Basis.CircleLead) return "The Facilitator and Secretary roles are unfilled, so the circle's Circle Lead acts as both (§5.3.6(c)).";
            if (first.Basis == Basis.Nobody) return "Nobody acts as Facilitator or Secretary: both roles are unfilled and the circle has no Circle Lead to stand in (§5.3.6); elect them.";
        }
        return string.Join(" ", acting.Select(Describe).Where(s => s.Length > 0));
    }

    /// <summary>One sentence on who stands in for the role, for a refusal's detail; empty when its holder acts.</summary>
    public static string Describe(Acting acting) => acting.Basis switch
    {
        Basis.OtherRole => $"The {acting.ElectedRole} role is unfilled, so the circle's {Other(acting.ElectedRole)} acts as {acting.ElectedRole} (§5.3.6(b)).",
        Basis.CircleLead => $"The {acting.ElectedRole} and {Other(acting.ElectedRole)} roles are unfilled, so the circle's Circle Lead acts as {acting.ElectedRole} (§5.3.6(c)).",
        Basis.Nobody when HasSurrogate(acting.ElectedRole) =>
            $"Nobody acts as {acting.ElectedRole}: it and the {Other(acting.ElectedRole)} role are unfilled and the circle has no Circle Lead to stand in (§5.3.6); elect one.",
        Basis.Nobody => $"The {ElectedRoles.DisplayName(acting.ElectedRole)} role is unfilled.",
        _ => "",
    };
}
