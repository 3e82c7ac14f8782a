using Governance.Verify;

// Usage: dotnet run --project src/Governance.Verify -- <export.ndjson> [--schemas <folder>]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("Checks an exported record offline: governance-verify <export.ndjson> [--schemas <folder with events/*.json>]");
    return 2;
}
var file = args[0];
var schemas = args.SkipWhile(a => a != "--schemas").Skip(1).FirstOrDefault() ?? FindSchemas();
if (!File.Exists(file) || schemas is null || !Directory.Exists(schemas))
{
    Console.Error.WriteLine(File.Exists(file) ? "The schemas folder was not found; pass --schemas <repository>/schemas." : $"No file {file}.");
    return 2;
}

var report = await ExportVerifier.VerifyAsync(File.ReadLines(file), schemas);
if (!report.Intact)
{
    Console.WriteLine($"TAMPERED or invalid at line {report.FirstBadLine}: {report.Problem} ({report.Events} events verified before it).");
    return 1;
}
Console.WriteLine($"Intact: {report.Events} events, hash chain and schemas verified. The record replays to:");
foreach (var (what, count) in report.Registry) Console.WriteLine($"  {what}: {count}");
return 0;

static string? FindSchemas()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "schemas");
        if (Directory.Exists(Path.Combine(candidate, "events"))) return candidate;
    }
    return null;
}
