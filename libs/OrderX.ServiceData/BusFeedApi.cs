using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using OrderX.Contracts;
using OrderX.Messaging.Transport;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.ServiceData;

/// <summary>
/// An event seen crossing the bus: its type, its order (the envelope's subject), the service that published it and
/// when, and when the watch saw it. The envelope's fields are null for a message that is not one.
/// </summary>
public sealed record BusEvent(long Sequence, Guid Id, string Type, string? OrderId, string? Service, DateTimeOffset? PublishedAt, DateTimeOffset SeenAt);

/// <summary>
/// <c>GET /api/admin/bus</c> (administrators): every OrderX event crossing the bus from now on, as Server-Sent Events of
/// type <c>bus</c>, for the operator's live feed. Any service answers it for the whole bus: the watch is the
/// transport's (<see cref="IBusWatch"/>), held only while someone is connected, and takes nothing from any queue. There
/// is nothing to resume: a reconnecting client sees what crosses from then on.
/// </summary>
public static class BusFeedApi
{
    public const string Path = "/api/admin/bus";
    public const string BusEventType = "bus";
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);

    private static readonly IReadOnlyCollection<string> Watched = IntegrationEvents.All.Select(e => e.Name).ToList();

    public static IEndpointRouteBuilder MapBusFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, StreamAsync).RequireAuthorization(OrderXPolicies.Admin).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> StreamAsync(HttpContext context, IBusWatch bus, IHostApplicationLifetime lifetime, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        stop.CancelAfter(MaxLifetime);
        BusWatcher watcher;
        try
        {
            watcher = await bus.StartAsync(Watched, stop.Token);
        }
        catch (TransportUnavailableException error)
        {
            return Problems.Unavailable(error.Message);
        }
        await using (watcher)
        {
            EventStreamResponse.Start(context);
            var sequence = 0L;
            try
            {
                await EventStreamResponse.SendAsync(context.Response, EventStreamResponse.Retry(2000), stop.Token);
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    idle.CancelAfter(KeepAlive);
                    TransportMessage message;
                    try
                    {
                        message = await watcher.Messages.ReadAsync(idle.Token);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        await EventStreamResponse.SendAsync(context.Response, EventStreamResponse.KeepAlive, stop.Token);
                        continue;
                    }
                    var seen = Describe(++sequence, message, clock.GetUtcNow());
                    await EventStreamResponse.SendAsync(context.Response,
                        EventStreamResponse.Event(seen.Sequence, BusEventType, JsonSerializer.Serialize(seen, JsonSerializerOptions.Web)), stop.Token);
                }
            }
            catch (Exception error) when (error is OperationCanceledException or IOException or TransportUnavailableException or System.Threading.Channels.ChannelClosedException)
            {
                // The client left, the service stops, the stream's time is up or the broker went away: the client reconnects.
            }
        }
        return Results.Empty;
    }

    private static BusEvent Describe(long sequence, TransportMessage message, DateTimeOffset seenAt)
    {
        EnvelopeHead? head = null;
        try
        {
            head = JsonSerializer.Deserialize<EnvelopeHead>(message.Body.Span);
        }
        catch (JsonException)
        {
            // Not an envelope (a poisoned message, say): shown with what the transport knows.
        }
        return new BusEvent(sequence, message.Id, message.Type, head?.Subject ?? (message.Key.Length > 0 ? message.Key : null), head?.Source, head?.Time, seenAt);
    }

    /// <summary>The envelope's attributes the feed shows; its data is skipped, not read.</summary>
    private sealed record EnvelopeHead(
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("time")] DateTimeOffset? Time,
        [property: JsonPropertyName("subject")] string? Subject);
}
