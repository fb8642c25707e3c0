using OrderX.Orders.Domain;

namespace OrderX.Orders.Tests;

public class OrderStateTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    private static Order NewOrder() => Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com",
    [
        new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 24.90m, Quantity = 2 },
        new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Kettle", UnitPrice = 59.00m, Quantity = 1 },
    ], Now);

    [Fact]
    public void A_new_order_is_pending_with_the_sum_of_its_lines_as_total()
    {
        var order = NewOrder();

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(108.80m, order.Total);
        Assert.Equal("Order is being processed", order.StatusMessage);
        Assert.All(order.Items, i => Assert.Equal(order.Id, i.OrderId));
    }

    [Fact]
    public void An_order_without_items_cannot_be_placed() =>
        Assert.Throws<ArgumentException>(() => Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", [], Now));

    [Fact]
    public void A_payment_success_makes_a_pending_order_paid_with_the_seed_message()
    {
        var order = NewOrder();
        var paymentId = Guid.NewGuid();

        var result = order.MarkPaid(paymentId, Now.AddSeconds(1));

        Assert.Equal(Transition.Applied, result);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal("Order Completed Successfully", order.StatusMessage);
        Assert.Equal(paymentId, order.PaymentId);
        Assert.Equal(Now.AddSeconds(1), order.UpdatedAt);
    }

    [Fact]
    public void The_same_payment_success_twice_changes_nothing_the_second_time()
    {
        var order = NewOrder();
        var paymentId = Guid.NewGuid();
        order.MarkPaid(paymentId, Now);
        var version = order.Version;

        Assert.Equal(Transition.AlreadyApplied, order.MarkPaid(paymentId, Now.AddMinutes(1)));
        Assert.Equal(version, order.Version);
        Assert.Equal(Now, order.UpdatedAt);
    }

    [Fact]
    public void A_payment_failure_makes_a_pending_order_payment_failed_and_says_why()
    {
        var order = NewOrder();

        var result = order.MarkPaymentFailed(Guid.NewGuid(), "Card declined", Now);

        Assert.Equal(Transition.Applied, result);
        Assert.Equal(OrderStatus.PaymentFailed, order.Status);
        Assert.Equal("Payment failed: Card declined", order.StatusMessage);
    }

    [Fact]
    public void A_paid_order_stays_paid_when_a_payment_failure_arrives()
    {
        var order = NewOrder();
        order.MarkPaid(Guid.NewGuid(), Now);

        Assert.Equal(Transition.Rejected, order.MarkPaymentFailed(Guid.NewGuid(), "late", Now));
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void A_failed_order_stays_failed_when_a_payment_success_arrives()
    {
        var order = NewOrder();
        order.MarkPaymentFailed(Guid.NewGuid(), "Card declined", Now);

        Assert.Equal(Transition.Rejected, order.MarkPaid(Guid.NewGuid(), Now));
        Assert.Equal(OrderStatus.PaymentFailed, order.Status);
    }

    [Fact]
    public void Each_applied_transition_bumps_the_concurrency_version()
    {
        var order = NewOrder();
        var before = order.Version;

        order.MarkPaid(Guid.NewGuid(), Now);

        Assert.Equal(before + 1, order.Version);
    }
}
