using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Wolverine;
using Wolverine.Marten;

// On a database the service has already brought up to date (bench/coldstart.sh starts it first): nothing compared.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddNpgsqlDataSource(builder.Configuration.GetConnectionString("Governance")!);
builder.Services.AddMarten(opts => opts.AutoCreateSchemaObjects = AutoCreate.None)
    .UseNpgsqlDataSource()
    .UseLightweightSessions()
    .IntegrateWithWolverine();
builder.Host.UseWolverine(opts =>
{
    opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;
    // As the service: no code compiled at start (this app has no handler to generate code for).
    opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
});
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
