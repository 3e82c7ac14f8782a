using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FluentAssertions;
using Governance.Audit;
using Governance.People;
using Governance.Tests.Support;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Tests.Api;

/// <summary>
/// Event sequence numbers are taken inside the appending transaction, so a slow transaction can
/// commit a lower number after a higher one is visible. Neither an export page nor the live
/// registry may read past such a gap for good while it can still be filled.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SequenceGapTests(GovernanceApp app)
{
    /// <summary>A person joins through Marten in a transaction the test ends: its event holds a sequence number until then.</summary>
    private sealed class SlowJoin(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid personId) : IAsyncDisposable
    {
        public Guid PersonId => personId;

        public Task CommitAsync() => transaction.CommitAsync();

        public Task RollbackAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<SlowJoin> SlowJoinAsync(Scenario org, string name)
    {
        var connection = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        var personId = Guid.CreateVersion7();
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Events.StartStream(personId, new PersonJoined(org.OrgId, personId, name, Scenario.EmailOf(name)));
            await session.SaveChangesAsync();
        }
        return new SlowJoin(connection, transaction, personId);
    }

    private static List<JsonElement> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static IEnumerable<Guid> StreamsIn(List<JsonElement> lines) => lines.Select(l => l.GetProperty("streamId").GetGuid());

    [Fact]
    public async Task A_transaction_holding_a_lower_sequence_number_is_waited_for_by_exports_and_the_live_registry()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await using var slow = await SlowJoinAsync(org, "Slow Sam");
        var later = await org.PersonAsync("Later Lea");

        // The gap does not hold back reads of what is committed: the later person is there at once.
        await org.GetAsync($"{org.Base}/people/{later}");
        // An export may not answer while the earlier event can still commit below its last line.
        var tooSoon = app.Client.GetAsync($"{org.Base}/events");
        await Task.Delay(ExportingEvents.SettleWait / 2);
        var patient = app.Client.GetAsync($"{org.Base}/events");
        var refused = await tooSoon;
        await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();

        // Committed after a later sequence was read, and after longer than any timeout would have waited.
        await slow.CommitAsync();

        var answered = await patient;
        answered.StatusCode.Should().Be(HttpStatusCode.OK);
        var lines = Lines(await answered.Content.ReadAsStringAsync());
        StreamsIn(lines).Should().Contain([slow.PersonId, later]);
        lines.Select(l => l.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder();
        var seen = Stopwatch.GetTimestamp();
        HttpStatusCode status;
        while ((status = (await app.Client.GetAsync($"{org.Base}/people/{slow.PersonId}")).StatusCode) != HttpStatusCode.OK
            && Stopwatch.GetElapsedTime(seen) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
        status.Should().Be(HttpStatusCode.OK, "the live registry reads a late commit into its gap");
    }

    [Fact]
    public async Task A_page_read_while_a_transaction_is_open_waits_for_it_and_leaves_nothing_out()
    {
        var org = await Scenario.FoundAsync(app.Client);
        var before = Lines(await app.Client.GetStringAsync($"{org.Base}/events"));
        var after = before[^1].GetProperty("sequence").GetInt64();
        await using var slow = await SlowJoinAsync(org, "Slow Sol");
        var later = await org.PersonAsync("Later Lou");

        var page = app.Client.GetStringAsync($"{org.Base}/events?after={after}");
        // Give an export that does not wait the time to answer without the open transaction's event.
        await Task.WhenAny(page, Task.Delay(TimeSpan.FromMilliseconds(500)));
        await slow.CommitAsync();

        StreamsIn(Lines(await page)).Should().Equal(slow.PersonId, later);
    }

    [Fact]
    public async Task A_rolled_back_sequence_number_holds_nothing_back()
    {
        var org = await Scenario.FoundAsync(app.Client);
        await using var slow = await SlowJoinAsync(org, "Never Ned");
        var later = await org.PersonAsync("Later Liv");
        await slow.RollbackAsync();

        var lines = Lines(await app.Client.GetStringAsync($"{org.Base}/events"));

        StreamsIn(lines).Should().Contain(later).And.NotContain(slow.PersonId);
        await org.GetAsync($"{org.Base}/people/{slow.PersonId}", HttpStatusCode.NotFound);
        await org.GetAsync($"{org.Base}/people/{later}");
    }
}
