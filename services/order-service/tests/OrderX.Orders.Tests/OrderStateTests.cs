using OrderX.Contracts;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Tests;

public class OrderStateTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid PaymentId = Guid.NewGuid();

    private static Order NewOrder() => Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com",
    [
        new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 24.90m, Quantity = 2 },
        new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Kettle", UnitPrice = 59.00m, Quantity = 1 },
    ], Now);

    /// <summary>The answers the other services can give; each is applied as a consumer would.</summary>
    public enum Answer { PaymentSucceeded, PaymentDeclined, StockReserved, StockRejected, StockReleased, Refunded }

    private static OrderOutcome Apply(Order order, Answer answer) => answer switch
    {
        Answer.PaymentSucceeded => order.PaymentSucceeded(PaymentId, Now),
        Answer.PaymentDeclined => order.PaymentFailed(PaymentId, "Card declined", Now),
        Answer.StockReserved => order.StockReserved(Now),
        Answer.StockRejected => order.StockRejected("Only 0 of Beans left; 2 requested.", Now),
        Answer.StockReleased => order.StockReleased(Now),
        Answer.Refunded => order.PaymentRefunded(PaymentId, Now),
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };

    /// <summary>Applies the answers in order and sums up everything the order asked the other services to do.</summary>
    private static (Order Order, OrderEffects Effects, int RefundRequests) Run(params Answer[] answers)
    {
        var order = NewOrder();
        var effects = OrderEffects.None;
        var refunds = 0;
        foreach (var answer in answers)
        {
            var outcome = Apply(order, answer);
            effects |= outcome.Effects;
            if (outcome.Effects.HasFlag(OrderEffects.RefundPayment))
                refunds++;
        }
        return (order, effects, refunds);
    }

    [Fact]
    public void A_new_order_is_pending_with_the_sum_of_its_lines_as_total_and_a_first_history_entry()
    {
        var order = NewOrder();

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(108.80m, order.Total);
        Assert.Equal("Order is being processed", order.StatusMessage);
        Assert.All(order.Items, i => Assert.Equal(order.Id, i.OrderId));
        Assert.Equal(OrderCauses.Placed, Assert.Single(order.History).Cause);
    }

    [Fact]
    public void An_order_without_items_cannot_be_placed() =>
        Assert.Throws<ArgumentException>(() => Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", [], Now));

    [Fact]
    public void A_payment_alone_does_not_make_the_order_paid()
    {
        var (order, effects, _) = Run(Answer.PaymentSucceeded);

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(PaymentState.Succeeded, order.PaymentStatus);
        Assert.Equal(OrderEffects.None, effects);
    }

    [Fact]
    public void A_reservation_alone_does_not_make_the_order_paid()
    {
        var (order, effects, _) = Run(Answer.StockReserved);

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(OrderEffects.None, effects);
    }

    [Theory]
    [InlineData(Answer.PaymentSucceeded, Answer.StockReserved)]
    [InlineData(Answer.StockReserved, Answer.PaymentSucceeded)]
    public void Payment_and_reservation_in_either_order_make_the_order_paid_with_the_seed_message(Answer first, Answer second)
    {
        var (order, effects, _) = Run(first, second);

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(Order.CompletedMessage, order.StatusMessage);
        Assert.Equal(OrderEffects.Completed, effects);
        Assert.Equal(PaymentId, order.PaymentId);
        Assert.Equal(OrderStatus.Paid, order.History[^1].Status);
    }

    [Theory]
    [InlineData(Answer.PaymentDeclined, Answer.StockReserved)]
    [InlineData(Answer.StockReserved, Answer.PaymentDeclined)]
    public void A_declined_payment_cancels_the_order_and_asks_for_no_refund_in_either_order(Answer first, Answer second)
    {
        var (order, effects, refunds) = Run(first, second);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(CancellationReasons.PaymentDeclined, order.CancelReason);
        Assert.Equal("Payment declined: Card declined", order.StatusMessage);
        // order.cancelled is what makes the product service release the reservation.
        Assert.Equal(OrderEffects.Cancelled, effects);
        Assert.Equal(0, refunds);
    }

    [Theory]
    [InlineData(Answer.PaymentSucceeded, Answer.StockRejected)]
    [InlineData(Answer.StockRejected, Answer.PaymentSucceeded)]
    public void Rejected_stock_cancels_the_order_and_refunds_the_payment_exactly_once_in_either_order(Answer first, Answer second)
    {
        var (order, effects, refunds) = Run(first, second);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(CancellationReasons.OutOfStock, order.CancelReason);
        Assert.StartsWith("Out of stock: Only 0 of Beans left", order.StatusMessage);
        Assert.Equal(OrderEffects.Cancelled | OrderEffects.RefundPayment, effects);
        Assert.Equal(1, refunds);
        Assert.Equal(PaymentState.RefundRequested, order.PaymentStatus);
    }

    [Theory]
    [InlineData(Answer.PaymentDeclined, Answer.StockRejected)]
    [InlineData(Answer.StockRejected, Answer.PaymentDeclined)]
    public void Two_failures_cancel_the_order_once_with_nothing_to_compensate(Answer first, Answer second)
    {
        var (order, effects, refunds) = Run(first, second);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(OrderEffects.Cancelled, effects);
        Assert.Equal(0, refunds);
        Assert.Equal(first == Answer.PaymentDeclined ? CancellationReasons.PaymentDeclined : CancellationReasons.OutOfStock, order.CancelReason);
        Assert.Equal(3, order.History.Count);
    }

    public static TheoryData<Answer[]> EveryDeliveryOrderWithRepeats()
    {
        // Every order of the three answers of a refunded out-of-stock order, each delivered twice in a row.
        var data = new TheoryData<Answer[]>();
        Answer[][] permutations =
        [
            [Answer.PaymentSucceeded, Answer.StockRejected, Answer.Refunded],
            [Answer.StockRejected, Answer.PaymentSucceeded, Answer.Refunded],
        ];
        foreach (var permutation in permutations)
            data.Add(permutation.SelectMany(a => new[] { a, a }).ToArray());
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryDeliveryOrderWithRepeats))]
    public void Repeated_answers_change_nothing_and_ask_for_nothing_twice(Answer[] answers)
    {
        var (order, effects, refunds) = Run(answers);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(PaymentState.Refunded, order.PaymentStatus);
        Assert.Equal(OrderEffects.Cancelled | OrderEffects.RefundPayment, effects);
        Assert.Equal(1, refunds);
        // Placed, two answers, refund: a repeat leaves no trace.
        Assert.Equal(4, order.History.Count);
    }

    [Fact]
    public void Repeats_of_the_happy_path_publish_order_completed_once()
    {
        var order = NewOrder();
        var completions = new[] { Answer.StockReserved, Answer.StockReserved, Answer.PaymentSucceeded, Answer.PaymentSucceeded, Answer.StockReserved }
            .Count(a => Apply(order, a).Effects.HasFlag(OrderEffects.Completed));

        Assert.Equal(1, completions);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Theory]
    [InlineData(Answer.PaymentDeclined)]
    [InlineData(Answer.StockRejected)]
    public void A_paid_order_ignores_a_contradicting_answer(Answer contradiction)
    {
        var (order, _, _) = Run(Answer.StockReserved, Answer.PaymentSucceeded);
        var version = order.Version;

        var outcome = contradiction == Answer.PaymentDeclined
            ? order.PaymentFailed(Guid.NewGuid(), "Card declined", Now)
            : order.StockRejected("none left", Now);

        Assert.Equal(Transition.Rejected, outcome.Transition);
        Assert.Equal((OrderStatus.Paid, version), (order.Status, order.Version));
    }

    [Fact]
    public void A_customer_cancel_of_a_pending_order_with_a_reservation_releases_it_through_order_cancelled()
    {
        var order = NewOrder();
        order.StockReserved(Now);

        var outcome = order.CancelPending(OrderCauses.CustomerCancel, CancellationReasons.CustomerRequest, "Cancelled at the customer's request.", Now);

        Assert.Equal(OrderEffects.Cancelled, outcome.Effects);
        Assert.Equal(CancellationReasons.CustomerRequest, order.CancelReason);
    }

    [Fact]
    public void A_timeout_after_the_payment_cancels_and_refunds()
    {
        var order = NewOrder();
        order.PaymentSucceeded(PaymentId, Now);

        var outcome = order.CancelPending(OrderCauses.Timeout, CancellationReasons.Timeout, "No answer in time.", Now);

        Assert.Equal(OrderEffects.Cancelled | OrderEffects.RefundPayment, outcome.Effects);
        Assert.Equal(PaymentState.RefundRequested, order.PaymentStatus);
    }

    [Fact]
    public void A_late_payment_for_a_timed_out_order_is_refunded_and_the_order_stays_cancelled()
    {
        var order = NewOrder();
        order.CancelPending(OrderCauses.Timeout, CancellationReasons.Timeout, "No answer in time.", Now);

        var late = order.PaymentSucceeded(PaymentId, Now);
        var lateReservation = order.StockReserved(Now);

        Assert.Equal(OrderEffects.RefundPayment, late.Effects);
        Assert.Equal(OrderEffects.None, lateReservation.Effects);
        Assert.Equal((OrderStatus.Cancelled, CancellationReasons.Timeout), (order.Status, order.CancelReason));
    }

    [Fact]
    public void A_paid_order_cannot_be_cancelled_and_a_cancelled_one_is_cancelled_once()
    {
        var (paid, _, _) = Run(Answer.StockReserved, Answer.PaymentSucceeded);
        Assert.Equal(Transition.Rejected, paid.CancelPending(OrderCauses.CustomerCancel, CancellationReasons.CustomerRequest, "x", Now).Transition);

        var order = NewOrder();
        Assert.Equal(Transition.Applied, order.CancelPending(OrderCauses.CustomerCancel, CancellationReasons.CustomerRequest, "x", Now).Transition);
        Assert.Equal(Transition.AlreadyApplied, order.CancelPending(OrderCauses.Timeout, CancellationReasons.Timeout, "y", Now).Transition);
        Assert.Equal(CancellationReasons.CustomerRequest, order.CancelReason);
    }

    [Fact]
    public void A_release_that_overtakes_the_reservation_leaves_the_stock_released()
    {
        var order = NewOrder();
        order.CancelPending(OrderCauses.CustomerCancel, CancellationReasons.CustomerRequest, "x", Now);

        order.StockReleased(Now);
        var reserved = order.StockReserved(Now);

        Assert.Equal(Transition.AlreadyApplied, reserved.Transition);
        Assert.Equal(StockState.Released, order.StockStatus);
    }

    [Fact]
    public void Every_applied_step_is_in_the_history_with_its_cause_and_the_status_after_it()
    {
        var (order, _, _) = Run(Answer.PaymentSucceeded, Answer.StockReserved);

        Assert.Equal(
            [(OrderCauses.Placed, OrderStatus.Pending), (PaymentSucceeded.EventType, OrderStatus.Pending), (StockReserved.EventType, OrderStatus.Paid)],
            order.History.Select(h => (h.Cause, h.Status)).ToList());
    }
}
