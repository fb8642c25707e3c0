using System.Diagnostics;

namespace OrderX.Bench;

public sealed record HttpFigures(double RequestsPerSecond, Percentiles LatencyMs, int Errors);

/// <summary>A closed-loop GET load over a fixed number of connections.</summary>
public static class HttpThroughput
{
    public static async Task<HttpFigures> MeasureAsync(Uri url, int connections, double seconds)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        var latencies = new List<double>[connections];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var all = latencies.SelectMany(l => l).ToList();
        return new HttpFigures(Math.Round(all.Count / clock.Elapsed.TotalSeconds, 0), Percentiles.Of(all), errors);
    }
}
