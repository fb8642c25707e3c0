namespace OrderX.Bench;

/// <summary>
/// Load against a running OrderX (scripts/bench.sh starts and stops it), the machine's own limits measured in the
/// same run, and a JSON + markdown report under bench/results.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }
        if (options.DropDatabases)
        {
            try
            {
                await BenchDatabases.DropAsync(options, Console.WriteLine);
                return 0;
            }
            catch (Exception error) when (error is Npgsql.NpgsqlException or ArgumentException)
            {
                Console.Error.WriteLine($"could not drop the benchmark's databases: {error.Message}");
                return 1;
            }
        }
        if (options.GatewayOnly)
        {
            var gateway = await BenchRunner.MeasureGatewayAsync(options);
            Console.WriteLine($"gateway {gateway.Proxied.RequestsPerSecond} req/s, direct {gateway.Direct.RequestsPerSecond} req/s, ratio {gateway.Ratio}; " +
                              $"p50 at 1 connection {gateway.ProxiedOneConnection.LatencyMs.P50} / {gateway.DirectOneConnection.LatencyMs.P50} ms (added {gateway.AddedP50Ms})");
            return 0;
        }
        var result = await BenchRunner.RunAsync(options, options.Quiet ? _ => { } : Console.WriteLine);
        if (result is null)
            return 1;
        var files = BenchRunner.Write(result, options.Output);
        Console.WriteLine();
        Console.WriteLine(result.ToMarkdown());
        Console.WriteLine($"written: {string.Join(", ", files)}");
        return 0;
    }
}
