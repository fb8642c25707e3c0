using System.Text.Json;

namespace OrderX.EndToEnd.Tests;

/// <summary>The embedded default: the all-in-one process on SQLite and the in-process bus.</summary>
public sealed class EmbeddedDeployment : OrderXDeployment
{
    private ServiceProcess? _process;

    public override string Mode => "embedded";

    public int ProcessId => _process!.Id;

    public override Task InitializeAsync() => StartAsync(withPayment: true);

    public override async Task StopPaymentServiceAsync()
    {
        // One process holds every service: "payment is down" is that process restarted without it.
        _process?.Kill();
        await StartAsync(withPayment: false);
    }

    public override async Task StartPaymentServiceAsync()
    {
        _process?.Kill();
        await StartAsync(withPayment: true);
    }

    /// <summary>The process's log, one JSON object per line: its output is not a terminal, and nothing here chooses the format.</summary>
    public IReadOnlyList<JsonElement> LogEntries => _process!.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();

    public override IReadOnlyList<int> ChargesPerPaymentProcess() =>
        [HandlerLines("payment", "OrderX.Payments.IntegrationEvents.OrderCreatedHandler").Count(e => e.GetProperty("message").GetString()!.Contains(" charged ", StringComparison.Ordinal))];

    public override IReadOnlyList<int> ReservationsPerProductProcess() =>
        [HandlerLines("product", "OrderX.Products.IntegrationEvents.OrderCreatedHandler").Count()];

    private IEnumerable<JsonElement> HandlerLines(string service, string category) =>
        LogEntries.Where(e => e.GetProperty("service").GetString() == service && e.GetProperty("category").GetString() == category);

    private async Task StartAsync(bool withPayment)
    {
        var environment = BaseEnvironment();
        environment.Remove("Logging__Console__FormatterName");
        if (!withPayment)
            environment["AllInOne__Without"] = "payment";
        _process?.Dispose();
        _process = ServiceProcess.Start("allinone", "OrderX.AllInOne", environment, WorkDirectory, LogFile("allinone"));
        var running = ServiceNames.Where(n => withPayment || n != "payment").Select(n => (n, Ports[n]));
        await WaitUntilReadyAsync(running, () => Tail(_process));
    }

    public override async Task DisposeAsync()
    {
        _process?.Dispose();
        await base.DisposeAsync();
    }
}
