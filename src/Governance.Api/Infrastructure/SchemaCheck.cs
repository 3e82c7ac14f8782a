using Marten;

namespace Governance.Infrastructure;

/// <summary>
/// With <c>Governance:Schema:ApplyOnStart</c> false the service changes no schema (its database role
/// needs no DDL rights); it refuses to start on a database that <c>db-apply</c> has not brought up to date.
/// </summary>
internal sealed class SchemaCheck(IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"The database schema is not up to date and {EventStoreSetup.ApplySchemaOnStart} is false: run the `db-apply` command first "
                + "(deploy/k8s/job-db-apply.yaml, docs/operations.md).", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
