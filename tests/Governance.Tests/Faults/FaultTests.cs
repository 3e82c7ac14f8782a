using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Governance.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Tests.Faults;

/// <summary>
/// The built service in its own process on a PostgreSQL of these tests' own, under the faults an
/// operator meets: the process killed mid-write, the database stopped under load, a SIGTERM with
/// requests in flight. The figures each test prints are the ones reported in docs/operations.md.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FaultTests(PrivateDatabase database, ITestOutputHelper output) : IClassFixture<PrivateDatabase>
{
    private Dictionary<string, string> Settings => ServiceProcess.OnDatabase(database.ConnectionString);

    private static Task<HttpResponseMessage> JoinAsync(Scenario org, int i) => org.JoinAsync($"Person {i}", key: $"join-{i}");

    private static async Task<List<JsonElement>> ExportAsync(Scenario org)
    {
        var text = await org.Client.GetStringAsync($"{org.Base}/events");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task Killed_during_concurrent_writes_it_keeps_every_acknowledged_write_once_and_retries_create_nothing_twice()
    {
        Scenario org;
        var acknowledged = new ConcurrentDictionary<int, Guid>();
        var refused = new ConcurrentQueue<HttpStatusCode>();
        var sent = 0;
        await using (var first = ServiceProcess.Start(Settings))
        {
            await first.ReadyAsync();
            org = await Scenario.FoundAsync(first.Client);
            async Task WriteUntilKilledAsync()
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref sent) - 1;
                    try
                    {
                        var response = await JoinAsync(org, i);
                        if (response.StatusCode != HttpStatusCode.Created) refused.Enqueue(response.StatusCode);
                        else acknowledged[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    }
                    catch (HttpRequestException)
                    {
                        return; // the service is gone: this request's outcome is unknown to its client
                    }
                }
            }
            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(WriteUntilKilledAsync)).ToList();
            for (var waited = Stopwatch.StartNew(); acknowledged.Count < 100 && refused.IsEmpty; await Task.Delay(5))
            {
                waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), first.Output);
            }
            await first.KillAsync();
            await Task.WhenAll(writers);
        }
        refused.Should().BeEmpty("every write before the kill is accepted");
        var acknowledgedBeforeKill = acknowledged.Count;

        // Restarted, every client retries what it sent with the same Idempotency-Key: what was acknowledged is replayed, the rest written once.
        await using var second = ServiceProcess.Start(Settings);
        await second.ReadyAsync();
        var (replayed, created) = (0, 0);
        for (var i = 0; i < sent; i++)
        {
            var retry = await JoinAsync(org.As(second.Client), i);
            retry.StatusCode.Should().Be(HttpStatusCode.Created, await retry.Content.ReadAsStringAsync());
            var id = (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var wasReplayed = retry.Headers.TryGetValues("Idempotent-Replayed", out _);
            if (acknowledged.TryGetValue(i, out var earlier))
            {
                id.Should().Be(earlier, "an acknowledged write answers its retry with the same person");
                wasReplayed.Should().BeTrue();
            }
            if (wasReplayed) replayed++;
            else created++;
        }

        var joined = (await ExportAsync(org.As(second.Client))).Where(e => e.GetProperty("type").GetString() == "person_joined")
            .Select(e => e.GetProperty("data").GetProperty("name").GetString()).ToList();
        joined.Should().OnlyHaveUniqueItems("no write is kept twice").And.HaveCount(sent, "every write sent is there once");
        foreach (var id in acknowledged.Values.Take(20)) (await second.Client.GetAsync($"{org.Base}/people/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var (exitCode, verified) = await ServiceProcess.RunCommandAsync(Settings, "verify");
        exitCode.Should().Be(0, verified);
        verified.Should().Contain("0 differences");
        output.WriteLine($"kill -9 during 8 concurrent writers: {sent} writes sent, {acknowledgedBeforeKill} acknowledged before the kill, "
            + $"{sent - acknowledgedBeforeKill} unanswered; after restart and retry with the same keys: {replayed} replayed, {created} written now, "
            + $"{sent - joined.Count} lost, {joined.Count - joined.Distinct().Count()} duplicated; verify: 0 differences");
    }

    [Fact]
    public async Task With_PostgreSQL_stopped_under_load_it_answers_503_problems_and_writes_again_once_it_is_back()
    {
        await using var service = ServiceProcess.Start(Settings);
        await service.ReadyAsync();
        var org = await Scenario.FoundAsync(service.Client);
        await org.RoleAsync(org.AnchorCircleId, "Refunds", "refunds");
        // A request that does not answer within 3 s counts as a hang ("503 within a second or two").
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(3) };
        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentQueue<(TimeSpan At, TimeSpan Took, bool Write, HttpStatusCode? Status, bool Problem, bool RetryAfter)>();
        var startedTicks = long.MaxValue;
        using var stop = new CancellationTokenSource();
        async Task LoadAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var write = i % 2 == 0;
                var at = clock.Elapsed;
                try
                {
                    var response = write
                        ? await org.As(client).JoinAsync($"Load {worker}-{i}")
                        : await client.GetAsync($"{org.Base}/decision-makers?domain=refunds");
                    outcomes.Enqueue((at, clock.Elapsed - at, write, response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                        response.Headers.RetryAfter is not null));
                    // Back once a write succeeds after the database was started again.
                    if (write && response.StatusCode == HttpStatusCode.Created && at.Ticks > Interlocked.Read(ref startedTicks)) return;
                }
                catch (TaskCanceledException)
                {
                    outcomes.Enqueue((at, clock.Elapsed - at, write, null, false, false));
                }
                await Task.Delay(10);
            }
        }
        var load = Enumerable.Range(0, 4).Select(w => Task.Run(() => LoadAsync(w))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stopping = clock.Elapsed;
        await database.StopAsync();
        var stopped = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var restarting = clock.Elapsed;
        await database.StartAsync();
        var started = clock.Elapsed;
        Interlocked.Exchange(ref startedTicks, started.Ticks);
        var finished = Task.WhenAll(load);
        var recovered = await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(30))) == finished;
        stop.Cancel();
        await Task.WhenAll(load);

        var all = outcomes.ToList();
        all.Should().NotContain(o => o.Status == null, "no request hangs (3 s)");
        all.Should().OnlyContain(o => o.Status < HttpStatusCode.InternalServerError || o.Status == HttpStatusCode.ServiceUnavailable, "never a 500");
        // Sent and answered while the database was down (a write retried into the restart may well succeed).
        var down = all.Where(o => o.At > stopped && o.At + o.Took < restarting).ToList();
        down.Where(o => o.Write).Should().NotBeEmpty().And.OnlyContain(o => o.Status == HttpStatusCode.ServiceUnavailable && o.Problem && o.RetryAfter,
            "a write while the database is down is a 503 problem with Retry-After");
        down.Where(o => !o.Write).Should().OnlyContain(o => o.Status == HttpStatusCode.OK || o.Status == HttpStatusCode.ServiceUnavailable,
            "who decides is answered from memory, or 503");
        recovered.Should().BeTrue("every writer wrote again after the database came back, without restarting the service");
        var first503 = all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).Min(o => o.At + o.Took) - stopping;
        var slowest503 = all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).Max(o => o.Took);
        var backAt = all.Where(o => o.Write && o.At > stopped && o.Status == HttpStatusCode.Created).Min(o => o.At + o.Took) - started;
        output.WriteLine($"PostgreSQL stopped under 4 clients: {all.Count} requests, {all.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} answered 503, "
            + $"0 answered 500, 0 hung; first 503 answered {first503.TotalMilliseconds:F0} ms after the stop began (pg_ctl stop took {(stopped - stopping).TotalMilliseconds:F0} ms), slowest 503 took {slowest503.TotalMilliseconds:F0} ms; "
            + $"reads answered from memory while down: {down.Count(o => !o.Write && o.Status == HttpStatusCode.OK)}/{down.Count(o => !o.Write)}; "
            + $"first write accepted {Math.Max(0, backAt.TotalMilliseconds):F0} ms after PostgreSQL was up again");
    }

    [Fact]
    public async Task An_event_this_version_cannot_read_takes_the_instance_out_of_rotation_until_it_is_gone()
    {
        await using var service = ServiceProcess.Start(Settings);
        await service.ReadyAsync();
        var org = await Scenario.FoundAsync(service.Client);
        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        // As a newer version of the service, mid-rollout, would write it.
        (await RawEvents.AppendAsync(data, org.OrgId, "organisation_renamed_in_a_later_version", "Governance.Later.OrganisationRenamed, Governance.Api", "{}"))
            .Should().Be(1);

        (await ReadinessBecomesAsync(service, HttpStatusCode.ServiceUnavailable)).Should().BeTrue("a registry that cannot follow the event store answers from an old state");
        service.Output.Should().Contain("could not read the event store");

        await using (var remove = data.CreateCommand("delete from mt_events where type = 'organisation_renamed_in_a_later_version'")) await remove.ExecuteNonQueryAsync();
        (await ReadinessBecomesAsync(service, HttpStatusCode.OK)).Should().BeTrue(service.Output);
    }

    private static async Task<bool> ReadinessBecomesAsync(ServiceProcess service, HttpStatusCode status)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            if ((await service.Client.GetAsync("/health/ready")).StatusCode == status) return true;
        }
        return false;
    }

    [Fact]
    public async Task SIGTERM_lets_a_request_in_flight_finish_before_the_service_exits()
    {
        await using var service = ServiceProcess.Start(Settings);
        await service.ReadyAsync();
        var org = await Scenario.FoundAsync(service.Client);
        // An export waits while a transaction holds an event sequence number: a request in flight for as long as the test holds it.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('mt_events_sequence')", connection, transaction)) await take.ExecuteScalarAsync();
        var export = service.Client.GetAsync($"{org.Base}/events");
        await Task.WhenAny(export, Task.Delay(TimeSpan.FromMilliseconds(500)));
        export.IsCompleted.Should().BeFalse("the export waits for the open transaction");

        await service.TerminateAsync();
        (await service.WaitForExitAsync(TimeSpan.FromSeconds(1))).Should().BeFalse("the service drains the request in flight before it exits");
        await transaction.CommitAsync();

        var response = await export;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("organisation_founded");
        (await service.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue(service.Output);
        service.ExitCode.Should().Be(0, service.Output);
    }
}
