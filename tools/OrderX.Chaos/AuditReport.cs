using System.Text;

namespace OrderX.Chaos;

/// <summary>One line of the report: what was counted and the figure; a check (a loss or a double effect) must be 0 or ok.</summary>
public sealed record Finding(string What, string Figure, bool IsCheck)
{
    public bool Failed => IsCheck && Figure is not ("0" or "ok");
}

/// <summary>
/// The verdict over a run: every order the customers were told was accepted (202) is in the order database and
/// final; each paid one charged once and sold once, each compensated one refunded once; each final order told to its
/// customer exactly once per kind, with one e-mail file per notification; nothing left unsent or waiting.
/// </summary>
public static class AuditReport
{
    private static readonly string[] Kinds = ["order_completed", "payment_declined", "out_of_stock", "order_cancelled", "payment_refunded"];

    public static IReadOnlyList<Finding> Findings(ShopLoad load, Shop shop, Audit audit)
    {
        var findings = new List<Finding>();
        void Add(string what, long count, bool isCheck) => findings.Add(new Finding(what, $"{count}", isCheck));

        Add("orders started by the load", load.Started, false);
        Add("accepted (202)", load.Accepted.Count, false);
        foreach (var (status, count) in load.Refused.OrderBy(r => r.Key))
            Add($"refused with {status}", count, status >= 500);
        Add("no final answer after 2 minutes of retries", load.Unanswered, false);
        Add("accepted orders missing from the order database", load.Accepted.Keys.Count(id => !audit.Orders.ContainsKey(id)), true);
        Add("orders in the database the load never saw accepted (answer lost, then retried)", audit.Orders.Keys.Count(id => !load.Accepted.ContainsKey(id)), false);

        foreach (var group in audit.Orders.Values.GroupBy(o => o.CancelReason is null ? o.Status : $"{o.Status} ({o.CancelReason})").OrderBy(g => g.Key))
            Add($"orders {group.Key}", group.Count(), group.Key == "pending");

        var paid = audit.Orders.Values.Where(o => o.Status == "paid").ToList();
        var cancelled = audit.Orders.Values.Where(o => o.Status == "cancelled").ToList();
        Add("paid orders without exactly one successful charge", paid.Count(o => audit.Payments.GetValueOrDefault(o.Id) != "succeeded"), true);
        Add("cancelled orders still charged (not refunded)", cancelled.Count(o => audit.Payments.GetValueOrDefault(o.Id) == "succeeded"), true);
        Add("refunds (one per compensated order at most: one payment row per order)", audit.Payments.Values.Count(s => s == "refunded"), false);
        Add("charges for orders the order database does not have", audit.Payments.Keys.Count(id => !audit.Orders.ContainsKey(id)), true);

        var sold = audit.Reservations.Where(r => r.Value == "sold").Select(r => r.Key).ToHashSet();
        Add("sales (reservations sold)", sold.Count, false);
        Add("paid orders not sold", paid.Count(o => !sold.Contains(o.Id)), true);
        Add("sales of orders that are not paid", sold.Count(id => audit.Orders.GetValueOrDefault(id)?.Status != "paid"), true);
        Add("stock still held by final orders", audit.Reservations.Count(r => r.Value == "reserved" && audit.Orders.GetValueOrDefault(r.Key)?.Status is "paid" or "cancelled"), true);
        foreach (var (scenario, product) in shop.Products.Where(p => p.Key != Scenario.CustomerCancels))
        {
            var (stock, reserved) = audit.Stock[product.Id];
            var soldUnits = paid.Count(o => load.Accepted.GetValueOrDefault(o.Id) is var s && shop.Products[s].Id == product.Id && sold.Contains(o.Id));
            findings.Add(new Finding($"{scenario} product: stock {product.Stock} - sold {soldUnits} = {stock}, reserved {reserved}", stock == product.Stock - soldUnits && reserved == 0 ? "ok" : "WRONG", true));
        }

        var told = audit.Notifications.GroupBy(n => (n.OrderId, n.Kind)).ToDictionary(g => g.Key, g => g.Count());
        var expected = audit.Orders.Values.Where(o => o.Status != "pending")
            .SelectMany(o => Expected(o, audit.Payments.GetValueOrDefault(o.Id)).Select(kind => (o.Id, kind))).ToHashSet();
        foreach (var kind in Kinds)
        {
            var due = expected.Count(e => e.kind == kind);
            var sent = audit.Notifications.Count(n => n.Kind == kind);
            findings.Add(new Finding($"notifications {kind}: due / sent", $"{due} / {sent}", false));
        }
        Add("notifications due but not sent", expected.Count(e => !told.ContainsKey(e)), true);
        Add("notifications sent that were not due, or twice", told.Count(t => !expected.Contains(t.Key) || t.Value > 1), true);
        Add("notifications without their e-mail file", audit.Notifications.Count(n => !audit.EmailFiles.Contains(n.Id)), true);
        Add("e-mail files without a notification (a second e-mail)", audit.EmailFiles.Count(id => audit.Notifications.All(n => n.Id != id)), true);

        foreach (var (service, count) in audit.UnsentOutbox)
            Add($"unsent outbox rows, {service}", count, true);
        Add("messages waiting in queues", audit.Waiting.Values.Sum(), true);
        foreach (var (queue, count) in audit.DeadLetters.Where(d => d.Value > 0))
            Add($"dead letters, {queue}", count, true);
        if (audit.DeadLetters.Values.All(d => d == 0))
            Add($"dead letters ({audit.DeadLetters.Count} queues or groups)", 0, true);
        return findings;
    }

    /// <summary>The notifications a final order's customer is owed: its outcome, and a refund if a charge was given back.</summary>
    private static IEnumerable<string> Expected(AuditedOrder order, string? payment)
    {
        yield return order.Status == "paid" ? "order_completed" : order.CancelReason switch
        {
            "payment_declined" => "payment_declined",
            "out_of_stock" => "out_of_stock",
            _ => "order_cancelled",
        };
        if (payment == "refunded")
            yield return "payment_refunded";
    }

    /// <summary>
    /// Requests answered 5xx (or not at all) from each fault's start to the next fault's start (10 s after the part
    /// was back, for the last). A 500 is a bug whatever the fault: the table counts it apart from 502/503.
    /// </summary>
    public static string FaultTable(IReadOnlyList<FaultWindow> windows, IReadOnlyCollection<Answer> answers)
    {
        var table = new StringBuilder();
        table.AppendLine("| fault | at (s) | back after (s) | requests | 500 | 502/503/504 | no answer | 5xx or no answer for (s) |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var until = i + 1 < windows.Count ? windows[i + 1].Start : window.End + 10;
            var inside = answers.Where(a => a.At >= window.Start && a.At < until).ToList();
            var bad = inside.Where(a => a.Status is 0 or >= 500).ToList();
            var span = bad.Count == 0 ? 0 : bad.Max(a => a.At) - bad.Min(a => a.At);
            table.AppendLine($"| {window.Name} | {window.Start:F0} | {window.End - window.Start:F1} | {inside.Count} | {inside.Count(a => a.Status == 500)} | " +
                             $"{inside.Count(a => a.Status > 500)} | {bad.Count(a => a.Status == 0)} | {span:F1} |");
        }
        return table.ToString();
    }

    /// <summary>The fault table summed per kind of fault, for runs of several rounds.</summary>
    public static string FaultSummary(IReadOnlyList<FaultWindow> windows, IReadOnlyCollection<Answer> answers)
    {
        var table = new StringBuilder();
        table.AppendLine("| fault | times | back after (s, mean) | requests | 500 | 502/503/504 | no answer | 5xx or no answer for (s, mean) |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var rows = windows.Select((window, i) =>
        {
            var until = i + 1 < windows.Count ? windows[i + 1].Start : window.End + 10;
            var inside = answers.Where(a => a.At >= window.Start && a.At < until).ToList();
            var bad = inside.Where(a => a.Status is 0 or >= 500).ToList();
            return (window.Name, Back: window.End - window.Start, Requests: inside.Count, Errors: inside.Count(a => a.Status == 500),
                Unavailable: inside.Count(a => a.Status > 500), None: bad.Count(a => a.Status == 0), Span: bad.Count == 0 ? 0 : bad.Max(a => a.At) - bad.Min(a => a.At));
        });
        foreach (var kind in rows.GroupBy(r => r.Name))
            table.AppendLine($"| {kind.Key} | {kind.Count()} | {kind.Average(r => r.Back):F1} | {kind.Sum(r => r.Requests)} | {kind.Sum(r => r.Errors)} | " +
                             $"{kind.Sum(r => r.Unavailable)} | {kind.Sum(r => r.None)} | {kind.Average(r => r.Span):F1} |");
        return table.ToString();
    }

    /// <summary>A 500 during a fault is a bug (an outage is 503 with Retry-After): it fails the run like a loss.</summary>
    public static Finding ServerErrors(IReadOnlyCollection<Answer> answers) =>
        new("requests answered 500 (an outage must be 503, never a 500)", $"{answers.Count(a => a.Status == 500)}", true);

    public static string Table(IReadOnlyList<Finding> findings)
    {
        var table = new StringBuilder();
        table.AppendLine("| check | figure | verdict |");
        table.AppendLine("|---|---:|---|");
        foreach (var finding in findings)
            table.AppendLine($"| {finding.What} | {finding.Figure} | {(finding.Failed ? "**FAILED**" : finding.IsCheck ? "ok" : "")} |");
        return table.ToString();
    }

    public static bool Passed(IEnumerable<Finding> findings) => findings.All(f => !f.Failed);
}
