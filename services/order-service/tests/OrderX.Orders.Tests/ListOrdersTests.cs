using Microsoft.AspNetCore.Http.HttpResults;
using OrderX.Orders.Apis;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

public sealed class ListOrdersTests : IDisposable
{
    private readonly SqliteTestDatabase<OrdersDbContext> _database = new(o => new OrdersDbContext(o));
    private readonly Guid _ada = Guid.NewGuid();
    private readonly Guid _bob = Guid.NewGuid();

    public ListOrdersTests()
    {
        using var db = _database.NewContext();
        foreach (var (customer, paid) in new[] { (_ada, true), (_ada, false), (_bob, true) })
        {
            var order = Order.Place(Guid.NewGuid(), customer, "c@example.com",
                [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow);
            if (paid)
            {
                order.StockReserved(DateTime.UtcNow);
                order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
            }
            db.Orders.Add(order);
        }
        db.SaveChanges();
    }

    private async Task<Results<Ok<List<OrderDto>>, Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, ProblemHttpResult>> ListAsync(
        System.Security.Claims.ClaimsPrincipal caller, string? status = null, bool? all = null, int? limit = null)
    {
        await using var db = _database.NewContext();
        return await OrdersApi.ListOrders(null, status, all, limit, caller, db, CancellationToken.None);
    }

    [Fact]
    public async Task A_customer_lists_only_their_own_orders_of_the_state_asked_for()
    {
        var mine = Assert.IsType<Ok<List<OrderDto>>>((await ListAsync(TestCallers.Customer(_ada))).Result).Value!;
        var paid = Assert.IsType<Ok<List<OrderDto>>>((await ListAsync(TestCallers.Customer(_ada), status: "paid")).Result).Value!;

        Assert.Equal(2, mine.Count);
        Assert.All(mine, o => Assert.Equal(_ada, o.UserId));
        Assert.Equal(OrderStatus.Paid, Assert.Single(paid).Status);
    }

    [Fact]
    public async Task An_administrator_lists_everyones_orders_and_a_customer_may_not()
    {
        var everyone = Assert.IsType<Ok<List<OrderDto>>>((await ListAsync(TestCallers.Admin(), status: "paid", all: true)).Result).Value!;
        var refused = Assert.IsType<ProblemHttpResult>((await ListAsync(TestCallers.Customer(_ada), all: true)).Result);

        Assert.Equal(new[] { _ada, _bob }.Order(), everyone.Select(o => o.UserId).Order());
        Assert.Equal(403, refused.StatusCode);
    }

    [Theory]
    [InlineData("shipped", null)]
    [InlineData(null, 0)]
    [InlineData(null, 101)]
    public async Task An_unknown_state_or_a_limit_out_of_range_is_a_validation_problem(string? status, int? limit) =>
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ValidationProblem>((await ListAsync(TestCallers.Admin(), status, all: true, limit: limit)).Result);

    public void Dispose() => _database.Dispose();
}
