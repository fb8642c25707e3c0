using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrderX.Bench;

public sealed record PhaseResult(string Name, double Seconds, double OfferedRate, IReadOnlyList<OrderSample> Samples)
{
    public int Accepted => Samples.Count(s => s.Outcome is "paid" or "cancelled" or "timeout:pending");
    public int Completed => Samples.Count(s => s.Outcome == "paid" && s.FinishedAt <= Seconds);
    public double AcceptedPerSecond => Math.Round(Samples.Count(s => !s.Outcome.StartsWith("post:", StringComparison.Ordinal)) / Seconds, 1);
    public double CompletedPerSecond => Math.Round(Completed / Seconds, 1);
    public Dictionary<string, int> Errors => Samples.Where(s => s.Outcome != "paid")
        .GroupBy(s => s.Outcome).ToDictionary(g => g.Key, g => g.Count());
    public Percentiles PostLatencyMs => Percentiles.Of(Samples.Where(s => !s.Outcome.StartsWith("post:", StringComparison.Ordinal)).Select(s => s.PostMs));
    public Percentiles TimeToPaidMs => Percentiles.Of(Samples.Where(s => s.Outcome == "paid").Select(s => s.ToFinalMs!.Value));
}

/// <summary>
/// Customers placing orders through the gateway and following each to its final state with the long poll
/// GET /order/status/{id}?waitSeconds=10, which answers as soon as the order leaves pending.
/// </summary>
public sealed class OrderLoad(HttpClient gateway, BenchOptions options, Action<string> progress)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private readonly byte[] _body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        items = new[] { new { productId = options.ProductId, quantity = 1 } },
    }));
    private int _accepted;
    private int _completed;
    private int _errors;
    private int _inFlight;

    /// <summary>N customers, each placing its next order once the previous one reached its final state.</summary>
    public async Task<PhaseResult> ClosedLoopAsync(string name, int customers, double seconds)
    {
        var samples = new ConcurrentBag<OrderSample>();
        var clock = Stopwatch.StartNew();
        using var reporter = Report(name, clock, seconds);
        var workers = Enumerable.Range(0, customers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
                samples.Add(await PlaceAndFollowAsync(clock));
        }));
        await Task.WhenAll(workers);
        return new PhaseResult(name, seconds, 0, [.. samples]);
    }

    /// <summary>Orders started at a fixed rate whatever the answers (open loop), so slow answers cannot hide queueing.</summary>
    public async Task<PhaseResult> OpenLoopAsync(string name, double rate, double seconds)
    {
        var samples = new ConcurrentBag<OrderSample>();
        var clock = Stopwatch.StartNew();
        using var reporter = Report(name, clock, seconds);
        var orders = new List<Task>();
        var interval = 1.0 / rate;
        for (var next = 0.0; next < seconds; next += interval)
        {
            var wait = next - clock.Elapsed.TotalSeconds;
            if (wait > 0.001)
                await Task.Delay(TimeSpan.FromSeconds(wait));
            orders.Add(Task.Run(async () => samples.Add(await PlaceAndFollowAsync(clock))));
        }
        await Task.WhenAll(orders);
        return new PhaseResult(name, seconds, rate, [.. samples]);
    }

    private async Task<OrderSample> PlaceAndFollowAsync(Stopwatch phase)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            var started = Stopwatch.GetTimestamp();
            Guid orderId;
            double postMs;
            try
            {
                using var content = new ByteArrayContent(_body);
                content.Headers.ContentType = new("application/json");
                using var response = await gateway.PostAsync("/order", content);
                postMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Accepted)
                    return Failed($"post:{(int)response.StatusCode}", postMs, phase);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                orderId = body.RootElement.GetProperty("orderId").GetGuid();
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                return Failed(error is TaskCanceledException ? "post:timeout" : "post:connection", Stopwatch.GetElapsedTime(started).TotalMilliseconds, phase);
            }
            Interlocked.Increment(ref _accepted);

            while (Stopwatch.GetElapsedTime(started) < GiveUpAfter)
            {
                string status;
                try
                {
                    using var response = await gateway.GetAsync($"/order/status/{orderId}?waitSeconds=10");
                    if (!response.IsSuccessStatusCode)
                        return Failed($"status:{(int)response.StatusCode}", postMs, phase);
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                    status = body.RootElement.GetProperty("status").GetString()!;
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return Failed("status:connection", postMs, phase);
                }
                if (status == "pending")
                    continue;
                Interlocked.Increment(ref _completed);
                return new OrderSample(postMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds, status, phase.Elapsed.TotalSeconds);
            }
            return Failed("timeout:pending", postMs, phase);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private OrderSample Failed(string kind, double postMs, Stopwatch phase)
    {
        Interlocked.Increment(ref _errors);
        return new OrderSample(postMs, null, kind, phase.Elapsed.TotalSeconds);
    }

    private Timer Report(string name, Stopwatch clock, double seconds)
    {
        _accepted = _completed = _errors = 0;
        return new Timer(_ => progress(
            $"[{name}] {Math.Min(clock.Elapsed.TotalSeconds, seconds),5:F1}/{seconds:F0} s  accepted {_accepted}  completed {_completed}  errors {_errors}  in flight {_inFlight}"),
            null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}
