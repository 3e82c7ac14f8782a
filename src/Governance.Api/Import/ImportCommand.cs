using System.Text.Json;
using Governance.Identity;
using Governance.Organisations;
using Governance.Registry;
using Governance.Roles;
using JasperFx.CommandLine;
using Marten;
using Spectre.Console;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Governance.Import;

public sealed class ImportInput : NetCoreInput
{
    [Description("glassfrog or csv")]
    public string Format { get; set; } = "";

    [Description("The file to import")]
    public string File { get; set; } = "";

    [Description("The organisation's name: the one an earlier import of the same source made, else a new one")]
    public string OrgFlag { get; set; } = "";

    [Description("Only report what the import would do")]
    public bool DryRunFlag { get; set; }

    [Description("A JSON file from each domain's 'from' (as the report shows it) to the key it gets")]
    public string MapFlag { get; set; } = "";

    [Description("The e-mail of an imported person to make an admin of the organisation")]
    public string AdminFlag { get; set; } = "";
}

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- import glassfrog FILE --org NAME [--dry-run] [--map FILE] [--admin EMAIL]</c>:
/// the same import as <c>POST /api/orgs:import</c>, from the command line, with progress; its
/// events' actor is the system ("import command"), and they reach the organisation's webhooks as an
/// endpoint's do. Services only: it runs beside a running service.
/// </summary>
[Description("Imports an organisation from a GlassFrog document or the CSV layout (docs/import.md), with progress and a dry run.", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public override async Task<bool> Execute(ImportInput input)
    {
        if (string.IsNullOrWhiteSpace(input.OrgFlag) || !System.IO.File.Exists(input.File))
        {
            AnsiConsole.MarkupLine("[red]Usage:[/] import glassfrog|csv FILE --org NAME [[--dry-run]] [[--map FILE]] [[--admin EMAIL]]");
            return false;
        }
        var (source, map, bad) = ImportingOrganisations.Read(input.Format, await System.IO.File.ReadAllTextAsync(input.File));
        if (bad is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{bad.Detail}[/]");
            return false;
        }
        var keys = new Dictionary<string, string>(map);
        if (input.MapFlag.Length > 0)
        {
            foreach (var (from, key) in JsonSerializer.Deserialize<Dictionary<string, string>>(await System.IO.File.ReadAllTextAsync(input.MapFlag)) ?? []) keys[from] = key;
        }
        var anchor = source!.Anchor with { Name = input.OrgFlag.Trim() };
        // --org names the Anchor Circle, which begins every domain's 'from': a mapping written with the source's name still applies.
        foreach (var (from, key) in keys.Where(k => k.Key.StartsWith(source.Anchor.Name, StringComparison.Ordinal) && k.Key.Length > source.Anchor.Name.Length && k.Key[source.Anchor.Name.Length] is '/' or ':').ToList())
        {
            keys.TryAdd(anchor.Name + from[source.Anchor.Name.Length..], key);
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Enrolled in Wolverine's outbox, as an endpoint's session is, so the events' webhook notices
        // are stored in the same transactions and delivered; a plain session forwards nothing. The
        // outbox needs Wolverine's runtime started (not the web host): for the command's length this
        // process is one more node, and what it has not handled when it stops stays in the durable
        // inbox for a running instance.
        var runtime = host.Services.GetRequiredService<IWolverineRuntime>();
        await ((IHostedService)runtime).StartAsync(CancellationToken.None);
        await using var session = host.Services.GetRequiredService<OutboxedSessionFactory>().OpenSession(new MessageContext(runtime));
        session.SetHeader(Actor.Header, Actor.OfSystem("import command"));
        var orgId = await EarlierAsync(session, anchor);

        ImportReport? report = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AnsiConsole.Status().StartAsync($"Importing {anchor.Name}", async status =>
        {
            void Progress(string step) => status.Status($"Importing {Markup.Escape(step)}");
            if (input.DryRunFlag)
            {
                var working = orgId is { } id ? await Replay.OrganisationAsync(session, id, DateTimeOffset.MaxValue, CancellationToken.None) : ImportTargets.Unfounded(anchor);
                report = await ImportTargets.RunAsync(working, source with { Anchor = anchor }, keys, new DryRunWriter(), DateTimeOffset.UtcNow, Progress, CancellationToken.None);
                return;
            }
            orgId ??= await FoundAsync(session, anchor);
            var copy = await Replay.OrganisationAsync(session, orgId.Value, DateTimeOffset.MaxValue, CancellationToken.None);
            report = await ImportTargets.RunAsync(copy, source with { Anchor = anchor }, keys, new CommittingWriter(session, orgId.Value), DateTimeOffset.UtcNow, Progress, CancellationToken.None);
            if (input.AdminFlag.Length > 0 && copy.People.Values.FirstOrDefault(p => p.NormalizedEmail == People.Person.Normalize(input.AdminFlag)) is { } admin
                && copy.Organisation?.Admins.Contains(admin.Id) != true)
            {
                session.Events.Append(orgId.Value, new AdminGranted(orgId.Value, admin.Id));
                await session.SaveChangesAsync();
            }
        });
        await ((IHostedService)runtime).StopAsync(CancellationToken.None);
        Print(report!, input.DryRunFlag ? null : orgId);
        AnsiConsole.WriteLine($"The import took {clock.Elapsed.TotalSeconds:F1} s (the host's start not counted).");
        return true;
    }

    /// <summary>The organisation of that name an earlier import of the same source made.</summary>
    private static async Task<Guid?> EarlierAsync(IDocumentSession session, SourceRole anchor)
    {
        var anchors = await session.Query<Role>().Where(r => r.ExternalId == anchor.ExternalId && r.CircleId == null && r.Name == anchor.Name).ToListAsync();
        return anchors.Count > 0 ? anchors[0].OrgId : null;
    }

    /// <summary>Founds the organisation as POST /api/orgs does, without a founder: the command is no person (--admin names one).</summary>
    private static async Task<Guid> FoundAsync(IDocumentSession session, SourceRole anchor)
    {
        var (orgId, anchorId, leadId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        foreach (var (streamId, e) in FoundingOrganisations.Events(orgId, anchorId, leadId, anchor.Name, anchor.Purpose ?? "", anchor.ExternalId)) session.Events.StartStream(streamId, e);
        await session.SaveChangesAsync();
        return orgId;
    }

    private static void Print(ImportReport report, Guid? orgId)
    {
        var counts = new Table().AddColumns("", "circles", "roles", "people", "assignments", "policies");
        foreach (var (what, c) in new[] { ("created", report.Created), ("updated", report.Updated) })
        {
            counts.AddRow(what, $"{c.Circles}", $"{c.Roles}", $"{c.People}", $"{c.Assignments}", $"{c.Policies}");
        }
        AnsiConsole.Write(counts);
        foreach (var key in report.DomainKeys) AnsiConsole.MarkupLineInterpolated($"domain [grey]{key.From}[/] -> [green]{key.Key}[/]");
        foreach (var skipped in report.Skipped) AnsiConsole.MarkupLineInterpolated($"[yellow]skipped[/] {skipped.Item}: {skipped.Reason}");
        AnsiConsole.WriteLine(orgId is { } id ? $"Imported into organisation {id}." : "Dry run: nothing was written.");
    }
}
