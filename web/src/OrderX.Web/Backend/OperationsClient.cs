using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrderX.ServiceDefaults;

namespace OrderX.Web.Backend;

public sealed record ServiceCondition(string Service, bool Ready, string Detail, long? OutboxPending, double? OldestUnsentSeconds);

internal sealed record OutboxStatus(string Service, long Pending, DateTime? OldestCreatedAt, double OldestAgeSeconds);

/// <summary>Each service's readiness and outbox, asked of the service itself, as an operator would.</summary>
public sealed class OperationsClient(IHttpClientFactory clients)
{
    public const string ClientPrefix = "operations-";

    /// <summary>The services that keep an outbox (they publish events); the user service publishes none.</summary>
    private static readonly HashSet<string> Publishing = ["product", "order", "payment", "notification"];

    public Task<ServiceCondition[]> ConditionsAsync(string accessToken, CancellationToken cancellationToken) =>
        Task.WhenAll(OrderXService.Backends.Select(service => ConditionAsync(service, accessToken, cancellationToken)));

    private async Task<ServiceCondition> ConditionAsync(OrderXService service, string accessToken, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ClientPrefix + service.Name);
        bool ready;
        string detail;
        try
        {
            using var response = await http.GetAsync("/health/ready", cancellationToken);
            ready = response.IsSuccessStatusCode;
            detail = ready ? "ready" : $"not ready ({(int)response.StatusCode})";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return new ServiceCondition(service.Name, false, $"not answering ({error.GetBaseException().Message})", null, null);
        }
        if (!Publishing.Contains(service.Name))
            return new ServiceCondition(service.Name, ready, detail, null, null);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/outbox");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await http.SendAsync(request, cancellationToken);
            var outbox = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<OutboxStatus>(JsonSerializerOptions.Web, cancellationToken) : null;
            return new ServiceCondition(service.Name, ready, detail, outbox?.Pending, outbox?.OldestAgeSeconds);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new ServiceCondition(service.Name, ready, detail, null, null);
        }
    }
}
