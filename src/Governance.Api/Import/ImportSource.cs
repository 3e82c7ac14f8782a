namespace Governance.Import;

// What an import reads, whatever it came from (a GlassFrog document, a CSV file): the circles as a
// tree from the Anchor Circle down, the people and who fills what. External ids are the source's own
// ids with its prefix (glassfrog:circle:1, glassfrog:role:2, csv:role:Ops/Scheduler), so a second
// import of the same source finds what the first one created.

/// <summary>A role of a circle; <c>Circle</c> is set when the role is itself a circle (§1.3.1).</summary>
public sealed record SourceRole(
    string ExternalId,
    string Name,
    string? Purpose,
    IReadOnlyList<string> Accountabilities,
    IReadOnlyList<string> Domains,
    SourceCircle? Circle = null);

/// <summary>A circle's own roles (not its core roles: those are the constitution's) and its policies.</summary>
public sealed record SourceCircle(IReadOnlyList<SourceRole> Roles, IReadOnlyList<SourcePolicy> Policies);

public sealed record SourcePolicy(string ExternalId, string Title, string Text);

public sealed record SourcePerson(string ExternalId, string Name, string Email);

/// <summary>
/// A person filling a role: <c>RoleExternalId</c> names a role or a circle (filling a circle's role
/// makes its Circle Lead, §1.4); with <c>Elected</c> (Facilitator, Secretary, CircleRep) it names the
/// circle whose elected role it is, for a term ending at <c>TermEnds</c> (§5.3.5).
/// </summary>
public sealed record SourceAssignment(string RoleExternalId, string PersonExternalId, string? Focus, string? Elected = null, DateTimeOffset? TermEnds = null);

/// <summary>One item of the source left out of the import, and why.</summary>
public sealed record SkippedItem(string Item, string Reason);

/// <summary>A whole source: the Anchor Circle as a role, the people, the assignments, and what was left out while reading.</summary>
public sealed record ImportSource(
    SourceRole Anchor,
    IReadOnlyList<SourcePerson> People,
    IReadOnlyList<SourceAssignment> Assignments,
    IReadOnlyList<SkippedItem> Skipped);
