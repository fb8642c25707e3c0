using System.Text;
using OrderX.ServiceData;
using OrderX.Testing;

namespace OrderX.Chaos;

/// <summary>
/// The failure suite (scripts/chaos.sh): a distributed OrderX under a steady open-loop load while, in turn, every
/// service is killed and restarted, extra instances come and go, the broker and the database are restarted and
/// killed and the network to the broker is cut; then an audit of the databases, the mailbox and the broker that
/// fails on any accepted order lost or any effect doubled.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ChaosOptions options;
        try
        {
            options = ChaosOptions.Parse(args);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }
        var started = DateTime.UtcNow;
        void Log(string line) => Console.WriteLine($"[chaos {DateTime.UtcNow - started:mm\\:ss}] {line}");
        var infrastructure = new InfrastructureFaults(options);
        if (!options.InfrastructureFaults)
            Log("PostgreSQL and RabbitMQ faults are left out: they need root (run as root, as scripts/infra.sh does)");
        await ResetAsync(options, Log);

        await using var deployment = new ChaosDeployment(options);
        var faultErrors = new List<string>();
        try
        {
            await deployment.StartAsync(Log);
            using var gateway = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
            {
                BaseAddress = deployment.Gateway,
                Timeout = TimeSpan.FromSeconds(15),
            };
            var shop = await Shop.CreateAsync(gateway, deployment, options.Customers);
            var load = new ShopLoad(gateway, shop, Log);
            using var stopLoad = new CancellationTokenSource();
            Log($"load: {options.Rate} orders/s from {options.Customers} customers for {options.Minutes} min (at least one round of faults)");
            var loadRun = load.RunAsync(options.Rate, stopLoad.Token);

            var windows = new List<FaultWindow>();
            var faults = FaultPlan.Round(deployment, infrastructure, options, Log);
            for (var round = 1; round == 1 || load.Now < options.Minutes * 60; round++)
            {
                foreach (var fault in faults)
                {
                    if (round > 1 && load.Now >= options.Minutes * 60)
                        break;
                    await Task.Delay(TimeSpan.FromSeconds(4));
                    var start = load.Now;
                    Log($"fault: {fault.Name}");
                    try
                    {
                        await fault.RunAsync();
                    }
                    catch (Exception error)
                    {
                        faultErrors.Add($"{fault.Name}: {error.Message}");
                        Log($"  FAILED to recover: {error.Message}");
                        await infrastructure.EnsureRunningAsync();
                    }
                    windows.Add(new FaultWindow(fault.Name, start, load.Now));
                    Log($"  back after {load.Now - start:F1} s");
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(5));
            stopLoad.Cancel();
            Log("load stopped; waiting for the requests still being retried");
            await loadRun;

            var audit = await SettleAsync(options, deployment, Log);
            var findings = AuditReport.Findings(load, shop, audit).Append(AuditReport.ServerErrors(load.Answers)).ToList();
            var report = new StringBuilder()
                .AppendLine($"Chaos run {started:yyyy-MM-dd HH:mm} UTC, {(options.Kafka is null ? "RabbitMQ" : "Kafka")}, {options.Rate} orders/s for {load.Now / 60:F1} min, {windows.Count} faults")
                .AppendLine().Append(AuditReport.Table(findings))
                .AppendLine().Append(windows.Count > faults.Count ? AuditReport.FaultSummary(windows, load.Answers) : AuditReport.FaultTable(windows, load.Answers)).ToString();
            Console.WriteLine();
            Console.WriteLine(report);
            var file = Path.Combine(options.Root, ".run", $"chaos-report-{started:yyyyMMdd-HHmm}.md");
            await File.WriteAllTextAsync(file, report);
            Log($"report written to {file}");
            foreach (var error in faultErrors)
                Log($"a fault did not recover: {error}");
            var passed = AuditReport.Passed(findings) && faultErrors.Count == 0;
            Log(passed ? "PASSED: nothing lost, nothing doubled" : "FAILED: see the lines marked FAILED above");
            return passed ? 0 : 1;
        }
        catch (Exception error)
        {
            Log($"the run could not go on: {error}");
            return 1;
        }
        finally
        {
            if (options.InfrastructureFaults)
                await infrastructure.EnsureRunningAsync();
        }
    }

    /// <summary>The run's databases and queues from a previous run are removed, so the audit sees this run only.</summary>
    private static async Task ResetAsync(ChaosOptions options, Action<string> log)
    {
        var dropped = await TestDatabases.DropAsync($"{ChaosOptions.DatabasePrefix}%", options.Postgres);
        log($"removed {dropped} database(s) of an earlier chaos run ({ChaosOptions.DatabasePrefix}*)");
        if (options.Kafka is null)
            await TestBroker.DeleteAsync(ChaosOptions.Exchange, OrderXSubscriptions.Queues(ChaosOptions.Exchange));
    }

    /// <summary>Waits until no order is pending, no outbox row unsent and no message waiting, and the notifications stop changing.</summary>
    private static async Task<Audit> SettleAsync(ChaosOptions options, ChaosDeployment deployment, Action<string> log)
    {
        var deadline = DateTime.UtcNow + options.Settle;
        var audit = await Audit.TakeAsync(options, deployment);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var next = await Audit.TakeAsync(options, deployment);
            var settled = next.Pending == 0 && next.UnsentOutbox.Values.Sum() == 0 && next.Waiting.Values.Sum() == 0
                          && next.Notifications.Count == audit.Notifications.Count && next.EmailFiles.Count == audit.EmailFiles.Count;
            audit = next;
            if (settled)
                return audit;
            log($"  settling: {next.Pending} pending, {next.UnsentOutbox.Values.Sum()} unsent, {next.Waiting.Values.Sum()} waiting, {next.Notifications.Count} notifications");
        }
        log($"not settled after {options.Settle}: auditing as it is");
        return audit;
    }
}
