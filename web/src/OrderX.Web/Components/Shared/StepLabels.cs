namespace OrderX.Web.Components.Shared;

/// <summary>What a customer reads for each step of their order's history.</summary>
public static class StepLabels
{
    public static string For(string cause, string status) => cause switch
    {
        "order.placed" => "Order placed",
        "stock.reserved" => "Stock reserved",
        "payment.success" => status == "paid" ? "Payment taken: order paid" : "Payment taken",
        "payment.failed" => "Payment declined",
        "stock.rejected" => "Out of stock",
        "stock.released" => "Reserved stock released",
        "payment.refunded" => "Payment refunded",
        "notification.sent" => "E-mail sent",
        "customer.cancel" => "Cancelled at your request",
        "order.timeout" => "Timed out",
        _ => cause,
    } + (cause == "stock.reserved" && status == "paid" ? ": order paid" : "");

    public static string Status(string status) => status switch
    {
        "paid" => "Paid",
        "cancelled" => "Cancelled",
        _ => "Being processed",
    };
}
