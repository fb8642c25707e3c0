using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.Tracking;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Orders.Apis;

/// <summary>One step of an order as the event stream sends it; <see cref="Id"/> is the event's id, for resuming.</summary>
public sealed record OrderStepEvent(long Id, DateTime At, string Status, string Cause, string Detail);

/// <summary>
/// <c>GET /api/orders/{id}/events</c>: the order's steps as Server-Sent Events, the ones already taken first, then
/// each as it is committed by any instance. A reconnecting client sends <c>Last-Event-ID</c> (browsers do) or
/// <c>?after=</c> and gets only the steps after it. Comments keep an idle stream open through proxies; after
/// <see cref="MaxLifetime"/> the server ends it and the client reconnects where it was.
/// </summary>
public static class OrderEventStream
{
    public const string StepEvent = "step";
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);
    private const int RetryMilliseconds = 2000;

    public static async Task<IResult> StreamAsync(
        Guid id, long? after, HttpContext context, ClaimsPrincipal caller, OrdersDbContext db, OrderChangeWatch watch,
        IHostApplicationLifetime lifetime, TimeProvider clock, CancellationToken cancellationToken)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        long resumeAfter;
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out resumeAfter))
                return ValidationErrors.Single("Last-Event-ID", "Last-Event-ID is the id of an event this stream sent.");
        }
        else if (after is < 0)
            return ValidationErrors.Single("after", "after is the id of an event this stream sent.");
        else
            resumeAfter = after ?? 0;

        var owner = await db.Orders.AsNoTracking().IgnoreAutoIncludes().Where(o => o.Id == id).Select(o => (Guid?)o.UserId).FirstOrDefaultAsync(cancellationToken);
        if (owner is null || !caller.MaySee(owner.Value))
            return Problems.NotFound($"Order {id} does not exist.");

        EventStreamResponse.Start(context);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        stop.CancelAfter(MaxLifetime);
        using var watcher = watch.Watch(id);
        var text = new StringBuilder();
        text.Append(EventStreamResponse.Retry(RetryMilliseconds));
        var lastWrite = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                watcher.Arm();
                var steps = await db.Set<OrderHistoryEntry>().AsNoTracking()
                    .Where(h => h.OrderId == id && h.Id > resumeAfter)
                    .OrderBy(h => h.Id)
                    .ToListAsync(stop.Token);
                foreach (var step in steps)
                {
                    text.Append(EventStreamResponse.Event(step.Id, StepEvent,
                        JsonSerializer.Serialize(new OrderStepEvent(step.Id, step.At, step.Status, step.Cause, step.Detail), JsonSerializerOptions.Web)));
                    resumeAfter = step.Id;
                }
                var now = clock.GetUtcNow();
                if (text.Length == 0 && now - lastWrite >= KeepAlive)
                    text.Append(EventStreamResponse.KeepAlive);
                if (text.Length > 0)
                {
                    await EventStreamResponse.SendAsync(context.Response, text.ToString(), stop.Token);
                    text.Clear();
                    lastWrite = now;
                }
                var recheck = watch.Recheck < KeepAlive ? watch.Recheck : KeepAlive;
                await Task.WhenAny(watcher.Changed, Task.Delay(recheck, clock, stop.Token));
                stop.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left, the stream's time is up, or the service is stopping: the client resumes where it was.
        }
        return Results.Empty;
    }
}
