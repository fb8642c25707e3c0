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

    public override IReadOnlyList<int> ChargesPerPaymentProcess() =>
        [_process!.Lines.Count(l => l.Contains("[payment] OrderCreatedHandler", StringComparison.Ordinal) && l.Contains(" charged ", StringComparison.Ordinal))];

    public override IReadOnlyList<int> ReservationsPerProductProcess() =>
        [_process!.Lines.Count(l => l.Contains("[product] OrderCreatedHandler", StringComparison.Ordinal))];

    private async Task StartAsync(bool withPayment)
    {
        var environment = BaseEnvironment();
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
