using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Governance.Tests.Support;

/// <summary>
/// A support desk's webhook endpoint on a loopback port: keeps every request it gets and answers
/// 204, or 500 while <see cref="Failing"/> is above zero (each failure counts it down).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failing;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Request(IHeaderDictionary Headers, string Body, int AnsweredWith);

    public ConcurrentQueue<Request> Received { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>How many requests still get a 500.</summary>
    public int Failing
    {
        get => Volatile.Read(ref _failing);
        set => Volatile.Write(ref _failing, value);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var fail = Interlocked.Decrement(ref receiver._failing) >= 0;
            if (!fail) Interlocked.Exchange(ref receiver._failing, 0);
            var status = fail ? 500 : 204;
            receiver.Received.Enqueue(new Request(new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = $"{app.Urls.First()}/hook";
        return receiver;
    }

    /// <summary>Waits (up to 30 s) until the receiver has accepted this many deliveries.</summary>
    public async Task<IReadOnlyList<Request>> AcceptedAsync(int count)
    {
        for (var i = 0; i < 300 && Accepted.Count < count; i++) await Task.Delay(100);
        return Accepted;
    }

    public IReadOnlyList<Request> Accepted => [.. Received.Where(r => r.AnsweredWith == 204)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
