using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderX.Bench;

public static class BenchRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<BenchResult?> RunAsync(BenchOptions options, Action<string> log)
    {
        using var gateway = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = options.Gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (!await IsReadyAsync(gateway))
        {
            log($"OrderX does not answer at {options.Gateway}health: start it first (scripts/start.sh).");
            return null;
        }
        await SignInAsync(gateway);
        var load = new OrderLoad(gateway, options, log);

        log($"warm-up: {options.Customers} customers for {options.WarmupSeconds} s (not counted)");
        await load.ClosedLoopAsync("warm-up", options.Customers, options.WarmupSeconds);

        GatewayFigures? gatewayFigures = null;
        double? postgres = null;
        BrokerFigures? rabbit = null;
        if (!options.SkipLimits)
        {
            log("limits: trivial GET through the gateway and straight to the order service");
            gatewayFigures = await MeasureGatewayAsync(options);
            postgres = await TryAsync<double?>("PostgreSQL", log, async () => await PostgresLimit.InsertTransactionsPerSecondAsync(options.Postgres, options.LimitSeconds));
            if (!options.OnKafka)
                rabbit = await TryAsync("RabbitMQ", log, () => RabbitMqLimit.MeasureAsync(options.RabbitHost, options.LimitSeconds));
        }

        var usage = ProcessUsage.Snapshot(options.RunDirectory);
        var infrastructure = InfrastructureUsage.Snapshot();
        var jitThreads = JitThreadUsage.Start(usage.Pids);
        long? commitsBefore = options.Distributed ? await DatabaseCommits.CountAsync(options) : null;
        var since = DateTime.UtcNow;

        log($"closed loop: {options.Customers} customers for {options.DurationSeconds} s");
        var closed = await load.ClosedLoopAsync("closed", options.Customers, options.DurationSeconds);
        var rate = options.Rate > 0 ? options.Rate : Math.Max(1, closed.CompletedPerSecond / 2);
        log($"open loop: {rate:F1} orders/s for {options.DurationSeconds} s");
        var open = await load.OpenLoopAsync("open", rate, options.DurationSeconds);

        var processes = usage.Since(await jitThreads.StopAsync());
        var infrastructureCpu = infrastructure.Since();
        var paid = closed.Samples.Concat(open.Samples).Count(s => s.Outcome == "paid");
        double? commitsPerOrder = null;
        if (commitsBefore is { } before)
        {
            await DatabaseCommits.SettleAsync();
            commitsPerOrder = paid == 0 ? null : Math.Round((await DatabaseCommits.CountAsync(options) - before) / (double)paid, 2);
        }

        double? limit = postgres is { } pg && rabbit is { } mq ? Math.Min(pg / 5, mq.ConfirmedPublishesPerSecond / 3) : null;
        return new BenchResult
        {
            Mode = options.Mode,
            Date = DateTime.UtcNow,
            Cores = Environment.ProcessorCount,
            Customers = options.Customers,
            ClosedLoop = PhaseSummary.From(closed),
            OpenLoop = PhaseSummary.From(open),
            CompletedPerSecond = closed.CompletedPerSecond,
            PostgresInsertsPerSecond = postgres,
            RabbitMq = rabbit,
            Gateway = gatewayFigures,
            Ratio = limit is { } l && l > 0 ? Math.Round(closed.CompletedPerSecond / l, 3) : null,
            GatewayRatio = gatewayFigures?.Ratio,
            OutboxLagMs = await OutboxLag.MeasureAsync(options, since),
            CommitsPerCompletedOrder = commitsPerOrder,
            Processes = processes,
            PaidOrders = paid,
            CpuMsPerPaidOrder = PerOrderMs(processes.Sum(p => p.CpuSeconds), paid),
            JitThreadCpuMsPerPaidOrder = PerOrderMs(processes.Sum(p => p.JitThreadCpuSeconds), paid),
            InfrastructureCpuSeconds = infrastructureCpu,
            InfrastructureCpuMsPerPaidOrder = infrastructureCpu.Count == 0 ? null : PerOrderMs(infrastructureCpu.Values.Sum(), paid),
        };
    }

    private static double? PerOrderMs(double cpuSeconds, int paidOrders) =>
        paidOrders == 0 ? null : Math.Round(cpuSeconds * 1000 / paidOrders, 2);

    public static async Task<GatewayFigures> MeasureGatewayAsync(BenchOptions options)
    {
        var proxied = new Uri(options.Gateway, "/health/live/order");
        var direct = new Uri(options.Direct, "/health/live");
        // Both paths get the same warm-up, so the comparison is of steady states, not of JIT tiers.
        await HttpThroughput.MeasureAsync(proxied, 32, Math.Min(2, options.LimitSeconds));
        await HttpThroughput.MeasureAsync(direct, 32, Math.Min(2, options.LimitSeconds));
        return new GatewayFigures(
            await HttpThroughput.MeasureAsync(proxied, 32, options.LimitSeconds),
            await HttpThroughput.MeasureAsync(direct, 32, options.LimitSeconds),
            await HttpThroughput.MeasureAsync(proxied, 1, options.LimitSeconds / 2),
            await HttpThroughput.MeasureAsync(direct, 1, options.LimitSeconds / 2));
    }

    public static IReadOnlyList<string> Write(BenchResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{result.Date:yyyy-MM-dd-HHmm}-{result.Mode}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(result, Json));
        File.WriteAllText(stem + ".md", result.ToMarkdown());
        var latest = Path.Combine(directory, $"latest-{result.Mode}.md");
        File.WriteAllText(latest, result.ToMarkdown());
        return [stem + ".json", stem + ".md", latest];
    }

    /// <summary>Orders are placed by a signed-in customer: a fresh account per run, its token on every request.</summary>
    private static async Task SignInAsync(HttpClient gateway)
    {
        var email = $"bench-{Guid.NewGuid():N}@orderx.local";
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        using (var registered = await gateway.PostAsJsonAsync("/api/users/register", new { email, name = "Benchmark customer", password }))
            registered.EnsureSuccessStatusCode();
        using var login = await gateway.PostAsJsonAsync("/api/users/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        gateway.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    private static async Task<bool> IsReadyAsync(HttpClient gateway)
    {
        try
        {
            using var response = await gateway.GetAsync("/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<T?> TryAsync<T>(string what, Action<string> log, Func<Task<T>> measure)
    {
        log($"limits: raw {what}");
        try
        {
            return await measure();
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or RabbitMQ.Client.Exceptions.BrokerUnreachableException or System.Net.Sockets.SocketException)
        {
            log($"limits: {what} not reachable ({error.Message}); its ratio is left out");
            return default;
        }
    }
}
