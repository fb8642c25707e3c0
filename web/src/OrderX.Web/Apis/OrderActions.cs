using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OrderX.ServiceDefaults;
using OrderX.Web.Backend;
using OrderX.Web.Components.Shared;

namespace OrderX.Web.Apis;

/// <summary>A step as the order page's script receives it: the order service's, with the words to show.</summary>
public sealed record TrackedStep(long Id, DateTime At, string Status, string Cause, string Detail, string Label, string StatusLabel);

/// <summary>The order page's cancel post and its live tracking.</summary>
public static class OrderActions
{
    public static IEndpointRouteBuilder MapOrderActions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders/{id:guid}/cancel", CancelAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).RequireAuthorization();
        app.MapGet("/orders/{id:guid}/events", StreamAsync).RequireAuthorization();
        return app;
    }

    public static async Task<IResult> CancelAsync(Guid id, HttpContext context, OrdersClient orders, CancellationToken cancellationToken)
    {
        var cancelled = await orders.CancelAsync(id, await Session.AccessTokenAsync(context), cancellationToken);
        Flash.Set(context, cancelled.Succeeded ? "Your order is cancelled." : cancelled.Problem!.Explain(), isError: !cancelled.Succeeded);
        return Results.LocalRedirect($"/orders/{id}");
    }

    /// <summary>
    /// Relays the order service's event stream to the page, event by event, adding the words the page shows. The
    /// browser's <c>Last-Event-ID</c> goes on to the order service, so a dropped stream resumes where it was.
    /// </summary>
    public static async Task StreamAsync(Guid id, long? after, HttpContext context, OrderEventsClient events, CancellationToken cancellationToken)
    {
        var accessToken = await Session.AccessTokenAsync(context);
        // 404 for someone else's order, as the API answers it.
        await EventStreamRelay.RelayAsync(ct => events.OpenAsync(id, context.Request.Headers["Last-Event-ID"].ToString(), after, accessToken, ct), context, (type, _, data) =>
            type == "step" && JsonSerializer.Deserialize<OrderStep>(data, JsonSerializerOptions.Web) is { } step ? Step(step) : null, cancellationToken);
    }

    private static string Step(OrderStep step) => EventStreamResponse.Event(step.Id, "step", JsonSerializer.Serialize(
        new TrackedStep(step.Id, step.At, step.Status, step.Cause, step.Detail, StepLabels.For(step.Cause, step.Status), StepLabels.Status(step.Status)),
        JsonSerializerOptions.Web));
}
