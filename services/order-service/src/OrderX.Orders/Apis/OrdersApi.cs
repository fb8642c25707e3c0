using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Clients;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.IntegrationEvents;
using OrderX.Orders.Idempotency;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Orders.Apis;

public static class OrdersApi
{
    public const int MaxLines = 100;
    public const int MaxQuantity = 1000;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        // The seed's routes, kept as they are (now for signed-in customers).
        var seed = app.MapGroup("/order").RequireAuthorization(OrderXPolicies.Customer);
        seed.MapPost("/", PlaceOrder);
        seed.MapGet("/status/{id:guid}", GetStatus);

        var orders = app.MapGroup("/api/orders").RequireAuthorization(OrderXPolicies.Customer);
        orders.MapPost("/", PlaceOrder);
        orders.MapGet("/{id:guid}", GetOrder);
        orders.MapGet("/{id:guid}/status", GetStatus);
        orders.MapPost("/{id:guid}/cancel", CancelOrder);
        orders.MapGet("/", ListOrders);
        return app;
    }

    /// <summary>
    /// Places an order for the signed-in customer (a <c>userId</c> in the body is ignored). With an
    /// <c>Idempotency-Key</c> header, a retry of the same request answers the first response again and creates
    /// nothing; the same key with another body is 422, and while the first is still running, 409.
    /// </summary>
    public static async Task<IResult> PlaceOrder(
        CreateOrderRequest request,
        ClaimsPrincipal caller,
        HttpContext context,
        OrdersDbContext db,
        ProductCatalog catalog,
        OutboxWriter outbox,
        IdempotencyStore idempotency,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var quantities);
        if (errors.Any)
            return errors.ToResult();
        var key = context.Request.Headers[IdempotencyStore.Header].ToString();
        if (!context.Request.Headers.ContainsKey(IdempotencyStore.Header))
            return await CreateAsync(quantities, caller, db, catalog, outbox, clock, loggers, null, idempotency, cancellationToken);
        if (!IdempotencyStore.IsValidKey(key))
            return ValidationErrors.Single(IdempotencyStore.Header, $"{IdempotencyStore.Header} is 1 to {IdempotencyStore.MaxKeyLength} printable ASCII characters.");

        var fingerprint = IdempotencyStore.Fingerprint(string.Join(';', quantities.OrderBy(q => q.Key).Select(q => $"{q.Key}:{q.Value}")));
        switch (await idempotency.ClaimAsync(caller.UserId(), key, fingerprint, cancellationToken))
        {
            case IdempotencyClaim.Replay(var first):
                context.Response.Headers["Idempotent-Replayed"] = "true";
                if (first.ResponseLocation is not null)
                    context.Response.Headers.Location = first.ResponseLocation;
                return Results.Content(first.ResponseBody, "application/json", statusCode: first.ResponseStatus);
            case IdempotencyClaim.Mismatch:
                return Problems.Unprocessable($"{IdempotencyStore.Header} '{key}' was already used for a different order; use a new key for a new order.");
            case IdempotencyClaim.InFlight:
                context.Response.Headers.RetryAfter = "1";
                return Problems.Conflict($"A request with {IdempotencyStore.Header} '{key}' is still being processed; retry in a moment.");
            case IdempotencyClaim.Granted(var record):
                try
                {
                    var result = await CreateAsync(quantities, caller, db, catalog, outbox, clock, loggers, record, idempotency, cancellationToken);
                    if (record.CompletedAt is null)
                        await idempotency.ReleaseAsync(record);
                    return result;
                }
                catch
                {
                    await idempotency.ReleaseAsync(record);
                    throw;
                }
            default:
                throw new InvalidOperationException("Unknown idempotency claim.");
        }
    }

    private static async Task<IResult> CreateAsync(
        Dictionary<Guid, int> quantities,
        ClaimsPrincipal caller,
        OrdersDbContext db,
        ProductCatalog catalog,
        OutboxWriter outbox,
        TimeProvider clock,
        ILoggerFactory loggers,
        IdempotencyRecord? idempotencyRecord,
        IdempotencyStore idempotency,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<ProductInfo> products;
        try
        {
            products = await catalog.GetAsync(quantities.Keys, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException
                                          or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(OrdersApi)).LogWarning(error, "Could not check the products of a new order");
            return Problems.Unavailable("The product service did not answer; the order was not placed. Try again.");
        }

        var unknown = quantities.Keys.Except(products.Select(p => p.Id)).ToList();
        if (unknown.Count > 0)
            return Problems.Unprocessable($"Unknown product(s): {string.Join(", ", unknown)}.",
                new Dictionary<string, object?> { ["unknownProductIds"] = unknown });
        if (products.Select(p => p.Currency).Distinct().Count() > 1)
            return Problems.Unprocessable("All products of one order must be priced in the same currency.");

        var now = clock.GetUtcNow().UtcDateTime;
        var items = products
            .Select(p => new OrderItem { ProductId = p.Id, ProductName = p.Name, UnitPrice = p.Price, Quantity = quantities[p.Id] })
            .ToList();
        var order = Order.Place(Guid.CreateVersion7(), caller.UserId(), caller.EmailAddress(), items, now, products[0].Currency);
        db.Orders.Add(order);
        outbox.Add(db, new OrderCreated(order.Id, order.UserId, order.CustomerEmail, order.Total, order.Currency,
            items.Select(i => new OrderLine(i.ProductId, i.ProductName, i.Quantity, i.UnitPrice)).ToList()));
        var location = $"/order/status/{order.Id}";
        var accepted = new OrderAccepted(order.Id, order.Status);
        if (idempotencyRecord is not null)
            idempotency.Complete(idempotencyRecord, StatusCodes.Status202Accepted, location, JsonSerializer.Serialize(accepted, JsonSerializerOptions.Web));
        await db.SaveChangesAsync(cancellationToken);

        loggers.CreateLogger(typeof(OrdersApi)).LogInformation(
            "Order {OrderId} stored as pending ({Total} {Currency}, {Lines} line(s)); order.created queued",
            order.Id, order.Total, order.Currency, items.Count);
        return TypedResults.Accepted(location, accepted);
    }

    /// <summary>
    /// The order's status. With <c>?waitSeconds=N</c> (at most 30) a pending order's answer is held until it
    /// leaves pending or the time is up: one request instead of a polling loop. Someone else's order is 404.
    /// </summary>
    public static async Task<Results<Ok<OrderStatusDto>, ProblemHttpResult, ValidationProblem>> GetStatus(
        Guid id, int? waitSeconds, ClaimsPrincipal caller, OrdersDbContext db, OrderStatusWatch watch, CancellationToken cancellationToken)
    {
        if (waitSeconds is < 0 or > MaxStatusWaitSeconds)
            return ValidationErrors.Single("waitSeconds", $"waitSeconds is between 0 and {MaxStatusWaitSeconds}.");
        var waits = waitSeconds is > 0;
        var deadline = DateTime.UtcNow.AddSeconds(waitSeconds ?? 0);
        while (true)
        {
            // Registered before the read, so a change committed in between still wakes this request.
            var changed = waits ? watch.Changed(id) : null;
            var order = Visible(await db.Orders.AsNoTracking().IgnoreAutoIncludes().FirstOrDefaultAsync(o => o.Id == id, cancellationToken), caller);
            var remaining = deadline - DateTime.UtcNow;
            if (order is null || order.Status != OrderStatus.Pending || remaining <= TimeSpan.Zero)
            {
                if (changed is not null)
                    watch.Forget(id, changed);
                return order is null
                    ? Problems.NotFound($"Order {id} does not exist.")
                    : TypedResults.Ok(new OrderStatusDto(order.Id, order.Status, order.StatusMessage));
            }
            // Re-read at least every 250 ms: another instance of this service may have made the change.
            await Task.WhenAny(changed!, Task.Delay(remaining < StatusRecheck ? remaining : StatusRecheck, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private const int MaxStatusWaitSeconds = 30;
    private static readonly TimeSpan StatusRecheck = TimeSpan.FromMilliseconds(250);

    /// <summary>The order with its history: every step, when, and what caused it.</summary>
    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> GetOrder(Guid id, ClaimsPrincipal caller, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var order = Visible(await db.Orders.AsNoTracking().Include(o => o.History).AsSplitQuery().FirstOrDefaultAsync(o => o.Id == id, cancellationToken), caller);
        return order is null ? Problems.NotFound($"Order {id} does not exist.") : TypedResults.Ok(OrderDto.From(order, withHistory: true));
    }

    /// <summary>
    /// Cancels a pending order; whatever was done for it is compensated (reservation released, payment refunded).
    /// Cancelling a cancelled order again answers the order as it is; a paid order cannot be cancelled (409).
    /// </summary>
    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> CancelOrder(
        Guid id, ClaimsPrincipal caller, OrdersDbContext db, OrderSaga saga, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var order = Visible(await db.Orders.Include(o => o.History).AsSplitQuery().FirstOrDefaultAsync(o => o.Id == id, cancellationToken), caller);
            if (order is null)
                return Problems.NotFound($"Order {id} does not exist.");
            var outcome = saga.Apply(order, OrderCauses.CustomerCancel,
                o => o.CancelPending(OrderCauses.CustomerCancel, CancellationReasons.CustomerRequest, "Cancelled at the customer's request.", saga.Now));
            if (outcome.Transition == Transition.Rejected)
                return Problems.Conflict($"Order {id} is already {order.Status} and can no longer be cancelled.");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(OrderDto.From(order, withHistory: true));
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // An answer for this order was committed meanwhile: decide again on what is now known.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The caller's orders, newest first (at most 100); an admin may ask for anyone's with <c>?userId=</c>.</summary>
    public static async Task<Results<Ok<List<OrderDto>>, ValidationProblem>> ListOrders(
        Guid? userId, ClaimsPrincipal caller, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var customer = caller.IsAdmin() && userId is not null ? userId.Value : caller.UserId();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.UserId == customer)
            .OrderByDescending(o => o.CreatedAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(orders.Select(o => OrderDto.From(o)).ToList());
    }

    // Someone else's order answers exactly like one that does not exist.
    private static Order? Visible(Order? order, ClaimsPrincipal caller) => order is not null && caller.MaySee(order.UserId) ? order : null;

    /// <summary>Checks the request's shape and sums the quantities per product (a product listed twice is one line).</summary>
    public static ValidationErrors Validate(CreateOrderRequest request, out Dictionary<Guid, int> quantities)
    {
        var errors = new ValidationErrors();
        quantities = [];
        if (request.Items is not { Count: > 0 } items)
        {
            errors.Add("items", "An order needs at least one item.");
            return errors;
        }
        if (items.Count > MaxLines)
            errors.Add("items", $"An order has at most {MaxLines} lines.");
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item?.ProductId is not { } productId || productId == Guid.Empty)
                errors.Add($"items[{i}].productId", "productId is required.");
            if (item?.Quantity is not { } quantity || quantity is < 1 or > MaxQuantity)
                errors.Add($"items[{i}].quantity", $"quantity must be between 1 and {MaxQuantity}.");
            if (item is { ProductId: { } id, Quantity: { } q } && id != Guid.Empty && q is >= 1 and <= MaxQuantity)
                quantities[id] = quantities.GetValueOrDefault(id) + q;
        }
        foreach (var (productId, total) in quantities.Where(q => q.Value > MaxQuantity))
            errors.Add("items", $"The quantities of product {productId} add up to {total}, more than {MaxQuantity}.");
        return errors;
    }
}
