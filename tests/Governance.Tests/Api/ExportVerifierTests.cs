using FluentAssertions;
using Governance.Tests.Support;
using Governance.Verify;

namespace Governance.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ExportVerifierTests(GovernanceApp app)
{
    private static readonly string Schemas = Path.Combine(AppContext.BaseDirectory, "schemas");

    private async Task<List<string>> ExportOfABusyOrganisationAsync()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var cs = await org.CircleAsync(org.AnchorCircleId, "Customer Service", "customer-service");
        var agent = await org.RoleAsync(cs, "Refunds Agent", "customer-service/refunds");
        var ana = await org.MemberAsync(cs, "Ana");
        await org.AssignAsync(agent, ana, "EU");
        await org.AdoptAsync(cs, Change.AddPolicy(Change.Policy("Refund limit", "customer-service/refunds", Change.Grant(agent, 500, "EUR"))));
        var proposal = await org.ProposalAsync(cs, ana, Change.CreateRole("Proposed"));
        await org.ProposalStepAsync(proposal, "adopt");
        await org.AdoptAsync(cs, Change.RemoveRole(agent));
        var text = await app.Client.GetStringAsync($"{org.Base}/events");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public async Task An_untouched_export_verifies_and_replays_to_the_registry()
    {
        var lines = await ExportOfABusyOrganisationAsync();

        var report = await ExportVerifier.VerifyAsync(lines, Schemas);

        report.Intact.Should().BeTrue(report.Problem);
        report.Events.Should().Be(lines.Count);
        // Anchor + its lead, CS + its lead, Ana's role, "Proposed"; the Refunds Agent was removed.
        report.Registry["roles (circles included)"].Should().Be(6);
        // The founder (the tester, whose token founded it) and Ana.
        report.Registry["people"].Should().Be(2);
        report.Registry["policies"].Should().Be(1);
        report.Registry["proposals"].Should().Be(1);
    }

    [Fact]
    public async Task A_modified_a_deleted_and_a_reordered_line_are_each_caught_and_named()
    {
        var lines = await ExportOfABusyOrganisationAsync();
        var modified = lines.ToList();
        modified[4] = modified[4].Replace("\"version\":", "\"version\": ", StringComparison.Ordinal);
        var deleted = lines.Where((_, i) => i != 5).ToList();
        var reordered = lines.ToList();
        (reordered[6], reordered[7]) = (reordered[7], reordered[6]);

        (await ExportVerifier.VerifyAsync(modified, Schemas)).FirstBadLine.Should().Be(5);
        (await ExportVerifier.VerifyAsync(deleted, Schemas)).FirstBadLine.Should().Be(6);
        (await ExportVerifier.VerifyAsync(reordered, Schemas)).FirstBadLine.Should().Be(7);
    }

    [Fact]
    public async Task Who_did_it_is_covered_by_the_chain_too()
    {
        var lines = await ExportOfABusyOrganisationAsync();
        var forged = lines.ToList();
        forged[3] = forged[3].Replace("\"name\": \"Tester\"", "\"name\": \"Someone Else\"", StringComparison.Ordinal);
        forged[3].Should().NotBe(lines[3], "the line names its actor");

        var report = await ExportVerifier.VerifyAsync(forged, Schemas);

        report.Intact.Should().BeFalse();
        report.FirstBadLine.Should().Be(4);
    }
}
