using Governance.Organisations;
using Governance.Registry;

namespace Governance.Import;

/// <summary>The working copies an import starts from: an organisation as the registry has it, or one a dry run would found.</summary>
public static class ImportTargets
{
    /// <summary>A copy of the organisation's registry (null: no such organisation), folded by the registry's own code from here on.</summary>
    public static OrganisationRegistry? CopyOf(IRegistrySnapshot? org)
    {
        if (org is null) return null;
        var copy = new OrganisationRegistry(org.Organisation.Id);
        var versions = org.Circles.ToDictionary(c => c.Id, c => org.GovernanceVersion(c.Id));
        copy.Restore(new OrganisationSnapshot.Now(org.Organisation, [.. org.Roles.Values], [.. org.People.Values], versions, org.Sequence, [], 0, []));
        return copy;
    }

    /// <summary>The organisation a dry run would found: its Anchor Circle (with the source's id) and that circle's Circle Lead role, as founding makes them.</summary>
    public static OrganisationRegistry Unfounded(SourceRole anchor)
    {
        var (orgId, anchorId, leadId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var org = new OrganisationRegistry(orgId);
        foreach (var (streamId, e) in FoundingOrganisations.Events(orgId, anchorId, leadId, anchor.Name, anchor.Purpose ?? "", anchor.ExternalId))
        {
            org.Apply(new JasperFx.Events.Event<object>(e) { StreamId = streamId });
        }
        return org;
    }

    /// <summary>Everything an import does, on a working copy: the circles from the Anchor Circle down, then people, assignments and elections.</summary>
    public static async Task<ImportReport> RunAsync(OrganisationRegistry working, ImportSource source, IReadOnlyDictionary<string, string> map, IImportWriter writer,
        DateTimeOffset now, Action<string>? progress, CancellationToken ct)
    {
        var tally = new ImportTally();
        foreach (var skipped in source.Skipped) tally.Skip(skipped.Item, skipped.Reason);
        var run = new ImportRun(working, map, writer, tally, progress);
        await run.CirclesAsync(source.Anchor, ct);
        progress?.Invoke("people");
        var people = await run.PeopleAsync(source.People, ct);
        progress?.Invoke("assignments");
        await run.AssignmentsAsync(source.Assignments, people, now, ct);
        return tally.ToReport();
    }
}
