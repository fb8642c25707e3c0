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
