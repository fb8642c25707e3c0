using System.Globalization;
using System.Text;

namespace OrderX.Bench;

public sealed record PhaseSummary(
    string Name, double Seconds, double OfferedRate, double AcceptedPerSecond, double CompletedPerSecond,
    IReadOnlyDictionary<string, int> Errors, Percentiles PostLatencyMs, Percentiles TimeToPaidMs)
{
    public static PhaseSummary From(PhaseResult phase) => new(
        phase.Name, phase.Seconds, Math.Round(phase.OfferedRate, 1), phase.AcceptedPerSecond, phase.CompletedPerSecond,
        phase.Errors, phase.PostLatencyMs, phase.TimeToPaidMs);
}

public sealed record GatewayFigures(HttpFigures Proxied, HttpFigures Direct, HttpFigures ProxiedOneConnection, HttpFigures DirectOneConnection)
{
    public double Ratio => Direct.RequestsPerSecond == 0 ? 0 : Math.Round(Proxied.RequestsPerSecond / Direct.RequestsPerSecond, 2);
    public double AddedP50Ms => Math.Round(ProxiedOneConnection.LatencyMs.P50 - DirectOneConnection.LatencyMs.P50, 3);
}

public sealed record BenchResult
{
    public required string Mode { get; init; }
    public required DateTime Date { get; init; }
    public required int Cores { get; init; }
    public required int Customers { get; init; }
    public required PhaseSummary ClosedLoop { get; init; }
    public required PhaseSummary OpenLoop { get; init; }
    /// <summary>Orders completed (paid) per second at the closed loop's maximum rate.</summary>
    public required double CompletedPerSecond { get; init; }
    public double? PostgresInsertsPerSecond { get; init; }
    public BrokerFigures? RabbitMq { get; init; }
    public GatewayFigures? Gateway { get; init; }
    /// <summary>completed orders/s ÷ min(pg commits/s ÷ 5, rabbit confirmed publishes/s ÷ 3).</summary>
    public double? Ratio { get; init; }
    /// <summary>proxied req/s ÷ direct req/s for the same trivial GET.</summary>
    public double? GatewayRatio { get; init; }
    public required Percentiles OutboxLagMs { get; init; }
    public double? CommitsPerCompletedOrder { get; init; }
    public required IReadOnlyList<ProcessFigures> Processes { get; init; }
    /// <summary>Orders of both measured phases that reached paid.</summary>
    public int PaidOrders { get; init; }
    /// <summary>CPU of every OrderX process over both measured phases ÷ their paid orders.</summary>
    public double? CpuMsPerPaidOrder { get; init; }
    /// <summary>Of <see cref="CpuMsPerPaidOrder"/>, the part of the processes' background JIT threads (tier-1 recompilation).</summary>
    public double? JitThreadCpuMsPerPaidOrder { get; init; }
    /// <summary>CPU seconds of PostgreSQL's and RabbitMQ's processes over the same phases.</summary>
    public IReadOnlyDictionary<string, double> InfrastructureCpuSeconds { get; init; } = new Dictionary<string, double>();
    public double? InfrastructureCpuMsPerPaidOrder { get; init; }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        string F(double? value) => value is null ? "n/a" : value.Value.ToString("0.##", CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture, $"### {Mode} — {Date:yyyy-MM-dd HH:mm} UTC, {Cores} cores, {Customers} customers");
        md.AppendLine();
        md.AppendLine("| figure | closed loop (max rate) | open loop |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| offered orders/s | {Customers} customers | {F(OpenLoop.OfferedRate)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| accepted orders/s | {F(ClosedLoop.AcceptedPerSecond)} | {F(OpenLoop.AcceptedPerSecond)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| completed (paid) orders/s | **{F(ClosedLoop.CompletedPerSecond)}** | {F(OpenLoop.CompletedPerSecond)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| errors | {Errors(ClosedLoop)} | {Errors(OpenLoop)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| POST /order ms p50/p95/p99/max | {ClosedLoop.PostLatencyMs} | {OpenLoop.PostLatencyMs} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| POST → paid ms p50/p95/p99/max | {ClosedLoop.TimeToPaidMs} | {OpenLoop.TimeToPaidMs} |");
        md.AppendLine();
        md.AppendLine("| limit or ratio | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL single-row insert tx/s (16 connections) | {F(PostgresInsertsPerSecond)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RabbitMQ confirmed persistent publishes/s ({RabbitMq?.QueueType ?? "-"} queue) | {F(RabbitMq?.ConfirmedPublishesPerSecond)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RabbitMQ consume + ack/s | {F(RabbitMq?.ConsumeAcksPerSecond)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **ratio** = completed/s ÷ min(pg/5, rabbit/3) | **{F(Ratio)}** |");
        if (Gateway is { } g)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| trivial GET req/s, 32 connections: gateway / direct | {F(g.Proxied.RequestsPerSecond)} / {F(g.Direct.RequestsPerSecond)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| **gateway ratio** | **{F(GatewayRatio)}** |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| p50 ms at 1 connection: gateway / direct (added) | {F(g.ProxiedOneConnection.LatencyMs.P50)} / {F(g.DirectOneConnection.LatencyMs.P50)} ({F(g.AddedP50Ms)}) |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"| outbox lag ms, commit → confirmed, p50/p95/p99/max | {OutboxLagMs} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| database commits per completed order | {F(CommitsPerCompletedOrder)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **OrderX CPU ms per paid order** (all services, {PaidOrders} paid) | **{F(CpuMsPerPaidOrder)}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| of which the runtime's background JIT (tier-1 recompilation of hot methods) | {F(JitThreadCpuMsPerPaidOrder)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL + RabbitMQ CPU ms per paid order | {F(InfrastructureCpuMsPerPaidOrder)} |");
        md.AppendLine();
        md.AppendLine("| process | CPU s (measured phases) | of which background JIT | peak RSS MB |");
        md.AppendLine("|---|---|---|---|");
        foreach (var p in Processes)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Name} | {F(p.CpuSeconds)} | {F(p.JitThreadCpuSeconds)} | {F(p.PeakRssMb)} |");
        foreach (var (name, cpu) in InfrastructureCpuSeconds.OrderBy(i => i.Key))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} (not OrderX) | {F(cpu)} | | |");
        return md.ToString();
    }

    private static string Errors(PhaseSummary phase) =>
        phase.Errors.Count == 0 ? "0" : string.Join(", ", phase.Errors.Select(e => $"{e.Key}: {e.Value}"));
}
