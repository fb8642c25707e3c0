using System.Text.Json;

namespace OrderX.Gateway.Tests;

/// <summary>
/// The gateway routes, checks tokens and limits; it stores nothing and consumes no event, so its build output
/// carries no database or broker client (it references the service defaults, not the data library).
/// </summary>
public sealed class GatewayDependencyTests
{
    private static readonly string[] DataAndBrokerStacks =
        ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "RabbitMQ.Client", "Confluent.Kafka", "librdkafka"];

    [Fact]
    public void The_gateways_dependency_closure_has_no_database_or_broker_client()
    {
        var carried = Libraries("OrderX.Gateway").Where(library => DataAndBrokerStacks.Any(stack => library.StartsWith(stack, StringComparison.OrdinalIgnoreCase)));

        Assert.Empty(carried);
    }

    [Fact]
    public void A_service_that_stores_and_consumes_does_carry_them_which_the_check_above_would_see()
    {
        var libraries = Libraries("OrderX.Orders");

        Assert.Contains(libraries, library => library.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.Contains(libraries, library => library.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Contains(libraries, library => library.StartsWith("RabbitMQ.Client", StringComparison.Ordinal));
    }

    // Every library (package or project) the app's deps.json lists: what its build output carries and loads.
    private static List<string> Libraries(string project)
    {
        var configuration = Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrderX.slnx")))
            root = root.Parent;
        Assert.NotNull(root);
        var depsFile = Path.Combine(root.FullName, "artifacts", "bin", project, configuration, $"{project}.deps.json");
        Assert.True(File.Exists(depsFile), $"{depsFile} is missing: build the solution first (scripts/test.sh does).");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        return deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name).ToList();
    }
}
