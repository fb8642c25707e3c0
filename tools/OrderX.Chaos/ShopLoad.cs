using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.Chaos;

/// <summary>An answer the load got (status 0: none, the connection failed or timed out), at seconds since the load began.</summary>
public readonly record struct Answer(double At, int Status);

/// <summary>
/// Orders started at a steady rate whatever the answers (open loop), each by one of the shop's customers with an
/// Idempotency-Key, retried with that key through 5xx answers and broken connections and after 429's Retry-After,
/// until it is accepted, refused, or two minutes have passed.
/// </summary>
public sealed class ShopLoad(HttpClient gateway, Shop shop, Action<string> log)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);
    private readonly Stopwatch _clock = new();
    private readonly List<Task> _orders = [];
    private int _started;
    private int _unanswered;
    private int _cancelRequests;
    private int _cancelled;

    public ConcurrentDictionary<Guid, Scenario> Accepted { get; } = new();
    public ConcurrentDictionary<int, int> Refused { get; } = new();
    public ConcurrentQueue<Answer> Answers { get; } = new();
    public int Started => _started;
    public int Unanswered => _unanswered;
    public int CancelRequests => _cancelRequests;
    public int CancelledByCustomer => _cancelled;
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Places orders at <paramref name="rate"/> per second until <paramref name="stop"/> is cancelled, then waits for the ones under way.</summary>
    public async Task RunAsync(double rate, CancellationToken stop)
    {
        _clock.Start();
        using var progress = new Timer(_ => log($"  [{Now,6:F0} s] started {_started}, accepted {Accepted.Count}, refused {Refused.Values.Sum()}, " +
                                                 $"5xx {Answers.Count(a => a.Status >= 500)}, no answer {Answers.Count(a => a.Status == 0)}"),
            null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        for (var next = 0.0; !stop.IsCancellationRequested; next += 1 / rate)
        {
            var wait = next - Now;
            if (wait > 0.001)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(wait), stop); }
                catch (OperationCanceledException) { break; }
            }
            var number = Interlocked.Increment(ref _started);
            _orders.Add(Task.Run(() => PlaceAsync(number)));
        }
        await Task.WhenAll(_orders);
    }

    private static Scenario ScenarioOf(int number) => (number % 20) switch
    {
        0 => Scenario.CardLimit,
        1 => Scenario.Scarce,
        2 or 3 => Scenario.CustomerCancels,
        _ => Scenario.Regular,
    };

    private async Task PlaceAsync(int number)
    {
        var scenario = ScenarioOf(number);
        var customer = shop.Customers[number % shop.Customers.Count];
        var key = Guid.NewGuid().ToString("N");
        var body = new { items = new[] { new { productId = shop.Products[scenario].Id, quantity = 1 } } };
        var answer = await SendAsync(customer, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/order") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        });
        if (answer is null)
        {
            Interlocked.Increment(ref _unanswered);
            return;
        }
        if (answer.Value.Status != HttpStatusCode.Accepted)
        {
            Refused.AddOrUpdate((int)answer.Value.Status, 1, (_, n) => n + 1);
            return;
        }
        var orderId = JsonDocument.Parse(answer.Value.Body).RootElement.GetProperty("orderId").GetGuid();
        Accepted[orderId] = scenario;
        if (scenario != Scenario.CustomerCancels)
            return;
        Interlocked.Increment(ref _cancelRequests);
        var cancel = await SendAsync(customer, () => new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/cancel"));
        if (cancel is { Status: HttpStatusCode.OK or HttpStatusCode.Accepted })
            Interlocked.Increment(ref _cancelled);
    }

    /// <summary>The first final answer to a request: anything but 5xx, 429, 408, 401 (signs in again) or 409 with Retry-After.</summary>
    private async Task<(HttpStatusCode Status, string Body)?> SendAsync(Customer customer, Func<HttpRequestMessage> build)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < GiveUpAfter)
        {
            TimeSpan wait;
            try
            {
                using var request = build();
                request.Headers.Authorization = new("Bearer", customer.AccessToken);
                using var response = await gateway.SendAsync(request);
                Answers.Enqueue(new Answer(Now, (int)response.StatusCode));
                var retryAfter = response.Headers.RetryAfter?.Delta;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Unauthorized:
                        await SignInAgainAsync(customer);
                        continue;
                    case HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict when retryAfter is not null || response.StatusCode != HttpStatusCode.Conflict:
                    case >= HttpStatusCode.InternalServerError:
                        wait = retryAfter is { } after ? TimeSpan.FromSeconds(Math.Min(after.TotalSeconds, 5)) : TimeSpan.FromMilliseconds(500);
                        break;
                    default:
                        return (response.StatusCode, await response.Content.ReadAsStringAsync());
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                Answers.Enqueue(new Answer(Now, 0));
                wait = TimeSpan.FromMilliseconds(500);
            }
            await Task.Delay(wait);
        }
        return null;
    }

    private async Task SignInAgainAsync(Customer customer)
    {
        try
        {
            customer.AccessToken = await Shop.SignInAsync(gateway, customer.Email, customer.Password);
        }
        catch (HttpRequestException)
        {
            await Task.Delay(500); // the user service is away: the next attempt signs in again
        }
    }
}
