using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.Web.Backend;

namespace OrderX.Web.Apis;

/// <summary>The console's forms (replay, discard) and its live bus feed, for administrators only.</summary>
public static class ConsoleActions
{
    public static IEndpointRouteBuilder MapConsoleActions(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").RequireAuthorization(policy => policy.RequireRole(OrderXRoles.Admin));
        console.MapPost("/dead-letters/{service}/{place}/{action:regex(^(replay|discard)$)}", SettleAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        console.MapGet("/bus/events", StreamBusAsync);
        return app;
    }

    public static async Task<IResult> SettleAsync(string service, string place, string action, HttpContext context, OperationsClient operations, CancellationToken cancellationToken)
    {
        if (!OperationsClient.Messaging.Contains(service))
            return Results.NotFound();
        var back = $"/console/dead-letters/{Uri.EscapeDataString(service)}/{Uri.EscapeDataString(place)}";
        var outcome = await operations.SettleDeadLettersAsync(service, place, action, await Session.AccessTokenAsync(context), cancellationToken);
        if (outcome.Value is { } settled)
            Flash.Set(context, settled.Action == "replayed"
                ? string.Create(CultureInfo.InvariantCulture, $"Replayed {settled.Messages} message(s) to the {settled.Service} service's subscription.")
                : string.Create(CultureInfo.InvariantCulture, $"Discarded {settled.Messages} message(s)."));
        else
            Flash.Set(context, outcome.Problem!.Explain(), isError: true);
        return Results.LocalRedirect(back);
    }

    /// <summary>The order service's bus feed, passed on event by event as it comes.</summary>
    public static async Task StreamBusAsync(HttpContext context, OrderEventsClient events, CancellationToken cancellationToken)
    {
        var accessToken = await Session.AccessTokenAsync(context);
        await EventStreamRelay.RelayAsync(ct => events.OpenBusFeedAsync(accessToken, ct), context, (type, id, data) =>
            type == "bus" ? EventStreamResponse.Event(long.Parse(id ?? "0", CultureInfo.InvariantCulture), "bus", data) : null, cancellationToken);
    }
}
