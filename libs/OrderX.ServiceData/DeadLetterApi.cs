using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Transport;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.ServiceData;

/// <summary>One place holding a service's dead letters; <see cref="Count"/> is null while the broker has no such place yet.</summary>
public sealed record DeadLetterPlace(string Name, long? Count);

public sealed record DeadLetterReport(string Service, IReadOnlyList<DeadLetterPlace> Places);

public sealed record DeadLetterListing(string Service, string Place, IReadOnlyList<DeadLetterMessage> Messages);

public sealed record DeadLetterOutcome(string Service, string Place, string Action, int Messages);

/// <summary>
/// <c>/api/admin/dead-letters</c> (administrators, asked of each service directly, as the operator's console does): the
/// places holding this service's dead letters, what each holds, and the operator's replay and discard, on whichever
/// transport the service runs. The operations of <c>scripts/dead-letters.sh</c>, over HTTP.
/// </summary>
public static class DeadLetterApi
{
    public const string Path = "/api/admin/dead-letters";
    public const int MaxShown = 200;

    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).RequireAuthorization(OrderXPolicies.Admin).ExcludeFromDescription();
        group.MapGet("", ListAsync);
        group.MapGet("{place}", ShowAsync);
        group.MapPost("{place}/replay", (string place, IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions, CancellationToken cancellationToken) =>
            SettleAsync(place, "replayed", store.ReplayAsync, store, service, subscriptions, cancellationToken));
        group.MapPost("{place}/discard", (string place, IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions, CancellationToken cancellationToken) =>
            SettleAsync(place, "discarded", store.DiscardAsync, store, service, subscriptions, cancellationToken));
        return app;
    }

    private static async Task<Results<Ok<DeadLetterReport>, ProblemHttpResult>> ListAsync(
        IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions, CancellationToken cancellationToken)
    {
        try
        {
            var places = new List<DeadLetterPlace>();
            foreach (var place in Places(store, service, subscriptions))
                places.Add(new DeadLetterPlace(place, await store.CountAsync(place, cancellationToken)));
            return TypedResults.Ok(new DeadLetterReport(service.Name, places));
        }
        catch (TransportUnavailableException error)
        {
            return Problems.Unavailable(error.Message);
        }
    }

    private static async Task<Results<Ok<DeadLetterListing>, ValidationProblem, ProblemHttpResult>> ShowAsync(
        string place, int? max, IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions, CancellationToken cancellationToken)
    {
        if (max is < 1 or > MaxShown)
            return ValidationErrors.Single("max", $"max is between 1 and {MaxShown}.");
        if (!Places(store, service, subscriptions).Contains(place))
            return NoSuchPlace(place, service);
        try
        {
            return TypedResults.Ok(new DeadLetterListing(service.Name, place, await store.PeekAsync(place, max ?? 50, cancellationToken)));
        }
        catch (TransportUnavailableException error)
        {
            return Problems.Unavailable(error.Message);
        }
    }

    private static async Task<Results<Ok<DeadLetterOutcome>, ProblemHttpResult>> SettleAsync(
        string place, string action, Func<string, CancellationToken, Task<int>> settle,
        IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions, CancellationToken cancellationToken)
    {
        if (!Places(store, service, subscriptions).Contains(place))
            return NoSuchPlace(place, service);
        try
        {
            return TypedResults.Ok(new DeadLetterOutcome(service.Name, place, action, await settle(place, cancellationToken)));
        }
        catch (TransportUnavailableException error)
        {
            return Problems.Unavailable(error.Message);
        }
    }

    /// <summary>Only this service's own places: the API never touches another service's queues.</summary>
    private static IReadOnlyList<string> Places(IDeadLetterStore store, OrderXService service, IEnumerable<EventSubscription> subscriptions) =>
        store.PlacesOf(service.Name, subscriptions.Select(s => s.EventType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static ProblemHttpResult NoSuchPlace(string place, OrderXService service) =>
        Problems.NotFound($"The {service.Name} service keeps no dead letters in '{place}'; GET {Path} lists its places.");
}
