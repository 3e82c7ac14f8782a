using FluentAssertions;
using Governance.Audit;
using Governance.Registry;
using Governance.Roles;
using Governance.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ReplayVerificationTests(GovernanceApp app)
{
    private async Task<int> DifferencesAsync(Guid orgId, List<string> report)
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        return await RegistryVerification.CompareAsync(orgId, session, report.Add, CancellationToken.None);
    }

    [Fact]
    public async Task The_stored_registry_equals_a_full_replay_and_a_corrupted_document_is_reported()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Agent", "customer-service/refunds");
        var ops = await org.CircleAsync(org.AnchorCircleId, "Operations", "ops");
        var clerk = await org.RoleAsync(org.AnchorCircleId, "Clerk");
        var ana = await org.MemberAsync(cs, "Ana");
        await org.AssignAsync(agent, ana, "EU");
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Limit", "customer-service/refunds", Change.Grant(agent, 100, "EUR"))),
            Change.UpdateRole(agent, name: "Refunds Agent"), Change.RemoveDomain(agent, "customer-service/refunds"));
        await org.AdoptAsync(org.AnchorCircleId, Change.MoveRole(clerk, ops));
        await org.AdoptAsync(org.AnchorCircleId, Change.RemoveRole(ops, "moveUp"));

        var report = new List<string>();
        (await DifferencesAsync(org.OrgId, report)).Should().Be(0, string.Join("\n", report));

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var stored = await session.LoadAsync<Role>(agent);
            session.Store(stored! with { Name = "Tampered" });
            await session.SaveChangesAsync();
        }
        report.Clear();
        (await DifferencesAsync(org.OrgId, report)).Should().Be(1);
        report.Should().Contain(line => line.Contains(agent.ToString()) && line.Contains("differs"));
    }

    [Fact]
    public async Task A_rebuild_of_every_projection_from_the_events_repairs_a_corrupted_document()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Agent", "customer-service/refunds");
        await org.AssignAsync(agent, await org.MemberAsync(cs, "Ana"), "EU");
        await org.AdoptAsync(cs, Change.UpdateRole(agent, name: "Refunds Agent"));
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Store((await session.LoadAsync<Role>(agent))! with { Name = "Tampered" });
            // The agent's stream loses its owner: a replay of the organisation no longer finds its events.
            session.Delete<StreamOwner>(agent);
            await session.SaveChangesAsync();
        }
        var report = new List<string>();
        (await DifferencesAsync(org.OrgId, report)).Should().BeGreaterThan(0);

        var rebuilt = new List<string>();
        await RebuildCommand.RebuildAllAsync(store, rebuilt.Add);

        rebuilt.Select(line => line.Trim().Split(':')[0]).Should().BeEquivalentTo(
            ["Role", "Organisation", "Proposal", "Meeting", "Person", "Governance.Registry.StreamOwnerProjection"],
            "every projection of the store is rebuilt");
        report.Clear();
        (await DifferencesAsync(org.OrgId, report)).Should().Be(0, string.Join("\n", report));
        (await org.GetAsync($"roles/{agent}")).GetProperty("name").GetString().Should().Be("Refunds Agent");
    }
}
