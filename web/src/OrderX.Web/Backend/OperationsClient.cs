using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrderX.ServiceDefaults;

namespace OrderX.Web.Backend;

public sealed record ServiceCondition(string Service, bool Ready, string Detail, long? OutboxPending, double? OldestUnsentSeconds, long? DeadLetters);

internal sealed record OutboxStatus(string Service, long Pending, DateTime? OldestCreatedAt, double OldestAgeSeconds);

/// <summary>Each service's readiness, outbox and dead letters, asked of the service itself, as an operator would.</summary>
public sealed class OperationsClient(IHttpClientFactory clients)
{
    public const string ClientPrefix = "operations-";

    /// <summary>A look at a service's condition is quick or it is an answer in itself; a replay may take longer.</summary>
    private static readonly TimeSpan LookTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The services on the bus, with an outbox and subscriptions; the user service publishes and consumes nothing.</summary>
    public static readonly IReadOnlyList<string> Messaging = ["product", "order", "payment", "notification"];

    public Task<ServiceCondition[]> ConditionsAsync(string accessToken, CancellationToken cancellationToken) =>
        Task.WhenAll(OrderXService.Backends.Select(service => ConditionAsync(service, accessToken, cancellationToken)));

    /// <summary>Every messaging service's dead-letter places; a service that does not answer is left out, with its reason.</summary>
    public async Task<IReadOnlyList<(string Service, ApiResult<DeadLetterReport> Report)>> DeadLettersAsync(string accessToken, CancellationToken cancellationToken)
    {
        var reports = await Task.WhenAll(Messaging.Select(async service =>
            (service, await CallAsync<DeadLetterReport>(service, HttpMethod.Get, "/api/admin/dead-letters", accessToken, cancellationToken))));
        return reports;
    }

    public Task<ApiResult<DeadLetterListing>> ShowDeadLettersAsync(string service, string place, string accessToken, CancellationToken cancellationToken) =>
        CallAsync<DeadLetterListing>(service, HttpMethod.Get, $"/api/admin/dead-letters/{Uri.EscapeDataString(place)}", accessToken, cancellationToken);

    /// <summary><paramref name="action"/> is <c>replay</c> or <c>discard</c>.</summary>
    public Task<ApiResult<DeadLetterOutcome>> SettleDeadLettersAsync(string service, string place, string action, string accessToken, CancellationToken cancellationToken) =>
        CallAsync<DeadLetterOutcome>(service, HttpMethod.Post, $"/api/admin/dead-letters/{Uri.EscapeDataString(place)}/{action}", accessToken, cancellationToken);

    private async Task<ApiResult<T>> CallAsync<T>(string service, HttpMethod method, string path, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            return await ApiCalls.SendAsync<T>(clients.CreateClient(ClientPrefix + service), new HttpRequestMessage(method, path), accessToken, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new(default, new ApiProblem(503, $"The {service} service does not answer", error.GetBaseException().Message, null));
        }
    }

    private async Task<ServiceCondition> ConditionAsync(OrderXService service, string accessToken, CancellationToken cancellationToken)
    {
        using var look = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        look.CancelAfter(LookTimeout);
        var http = clients.CreateClient(ClientPrefix + service.Name);
        bool ready;
        string detail;
        try
        {
            using var response = await http.GetAsync("/health/ready", look.Token);
            ready = response.IsSuccessStatusCode;
            detail = ready ? "ready" : $"not ready ({(int)response.StatusCode})";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return new ServiceCondition(service.Name, false, $"not answering ({error.GetBaseException().Message})", null, null, null);
        }
        if (!Messaging.Contains(service.Name))
            return new ServiceCondition(service.Name, ready, detail, null, null, null);
        var outbox = CallAsync<OutboxStatus>(service.Name, HttpMethod.Get, "/api/admin/outbox", accessToken, look.Token);
        var deadLetters = CallAsync<DeadLetterReport>(service.Name, HttpMethod.Get, "/api/admin/dead-letters", accessToken, look.Token);
        var (pending, oldest) = (await outbox).Value is { } status ? ((long?)status.Pending, (double?)status.OldestAgeSeconds) : (null, null);
        var dead = (await deadLetters).Value?.Places.Sum(p => p.Count ?? 0);
        return new ServiceCondition(service.Name, ready, detail, pending, oldest, dead);
    }
}
