using OrderX.Orders.Apis;

namespace OrderX.Orders.Tests;

public class OrderRequestValidationTests
{
    private static readonly Guid User = Guid.NewGuid();
    private static readonly Guid Product = Guid.NewGuid();

    [Fact]
    public void A_well_formed_request_passes_and_yields_its_quantities()
    {
        var errors = OrdersApi.Validate(new CreateOrderRequest(User, [new CreateOrderItem(Product, 2)]), out var quantities);

        Assert.False(errors.Any);
        Assert.Equal(2, quantities[Product]);
    }

    [Fact]
    public void The_same_product_listed_twice_becomes_one_line_with_the_summed_quantity()
    {
        OrdersApi.Validate(new CreateOrderRequest(User, [new CreateOrderItem(Product, 2), new CreateOrderItem(Product, 3)]), out var quantities);

        Assert.Equal(5, Assert.Single(quantities).Value);
    }

    [Fact]
    public void The_user_id_in_the_body_plays_no_part_the_order_is_the_callers()
    {
        Assert.False(OrdersApi.Validate(new CreateOrderRequest(null, [new CreateOrderItem(Product, 1)]), out _).Any);
        Assert.False(OrdersApi.Validate(new CreateOrderRequest(Guid.Empty, [new CreateOrderItem(Product, 1)]), out _).Any);
    }

    public static TheoryData<CreateOrderRequest> InvalidRequests() => new()
    {
        new CreateOrderRequest(User, null),
        new CreateOrderRequest(User, []),
        new CreateOrderRequest(User, [null]),
        new CreateOrderRequest(User, [new CreateOrderItem(Product, 0)]),
        new CreateOrderRequest(User, [new CreateOrderItem(Product, -3)]),
        new CreateOrderRequest(User, [new CreateOrderItem(Product, null)]),
        new CreateOrderRequest(User, [new CreateOrderItem(null, 1)]),
        new CreateOrderRequest(User, [new CreateOrderItem(Product, OrdersApi.MaxQuantity + 1)]),
        new CreateOrderRequest(User, [new CreateOrderItem(Product, 600), new CreateOrderItem(Product, 600)]),
        new CreateOrderRequest(User, Enumerable.Range(0, OrdersApi.MaxLines + 1).Select(_ => (CreateOrderItem?)new CreateOrderItem(Guid.NewGuid(), 1)).ToList()),
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void An_invalid_request_is_refused(CreateOrderRequest request) =>
        Assert.True(OrdersApi.Validate(request, out _).Any);
}
