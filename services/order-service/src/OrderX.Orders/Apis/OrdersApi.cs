using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.Saga;
using OrderX.Orders.Tracking;
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
        // The routes the original flow specification names (POST /order, GET /order/status/{id}), kept as it
        // writes them; now for signed-in customers.
        var specified = app.MapGroup("/order").RequireAuthorization(OrderXPolicies.Customer);
        specified.MapPost("/", PlaceOrder).WithPlaceOrderAnswers();
        specified.MapGet("/status/{id:guid}", GetStatus);

        var orders = app.MapGroup("/api/orders").RequireAuthorization(OrderXPolicies.Customer);
        orders.MapPost("/", PlaceOrder).WithPlaceOrderAnswers();
        orders.MapGet("/{id:guid}", GetOrder);
        orders.MapGet("/{id:guid}/status", GetStatus);
        orders.MapPost("/{id:guid}/cancel", CancelOrder);
        orders.MapGet("/{id:guid}/events", OrderEventStream.StreamAsync)
            .Produces<OrderStepEvent>(StatusCodes.Status200OK, EventStreamResponse.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        orders.MapGet("/", ListOrders);
        return app;
    }

    // PlaceOrder answers through the idempotency protocol, as an IResult: its answers are declared here.
    private static RouteHandlerBuilder WithPlaceOrderAnswers(this RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(new OpenApiDocuments.IdempotentAttribute { MaxKeyLength = IdempotencyStore.MaxKeyLength })
        .Produces<OrderAccepted>(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Places an order for the signed-in customer (a <c>userId</c> in the body is ignored). With an
    /// <c>Idempotency-Key</c> header a retry creates nothing and answers the first response again
    /// (<see cref="IdempotencyProtocol"/>). A product service that does not answer ends in the shared 503.
    /// </summary>
    public static async Task<IResult> PlaceOrder(
        CreateOrderRequest request, ClaimsPrincipal caller, HttpContext context, [AsParameters] PlaceOrderServices services, CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var quantities);
        if (errors.Any)
            return errors.ToResult();
        var fingerprint = IdempotencyStore.Fingerprint(string.Join(';', quantities.OrderBy(q => q.Key).Select(q => $"{q.Key}:{q.Value}")));
        return await services.Idempotency.RunOnceAsync(context, caller.UserId(), fingerprint,
            record => CreateAsync(quantities, caller, services, record, cancellationToken), cancellationToken);
    }

    private static async Task<IResult> CreateAsync(
        Dictionary<Guid, int> quantities, ClaimsPrincipal caller, PlaceOrderServices services, IdempotencyRecord? idempotencyRecord, CancellationToken cancellationToken)
    {
        var products = await services.Catalog.GetAsync(quantities.Keys, cancellationToken);
        var unknown = quantities.Keys.Except(products.Select(p => p.Id)).ToList();
        if (unknown.Count > 0)
            return Problems.Unprocessable($"Unknown product(s): {string.Join(", ", unknown)}.",
                new Dictionary<string, object?> { ["unknownProductIds"] = unknown });
        if (products.Select(p => p.Currency).Distinct().Count() > 1)
            return Problems.Unprocessable("All products of one order must be priced in the same currency.");

        var now = services.Clock.GetUtcNow().UtcDateTime;
        var items = products
            .Select(p => new OrderItem { ProductId = p.Id, ProductName = p.Name, UnitPrice = p.Price, Quantity = quantities[p.Id] })
            .ToList();
        var order = Order.Place(Guid.CreateVersion7(), caller.UserId(), caller.EmailAddress(), items, now, products[0].Currency);
        CorrelationContext.OrderId = order.Id.ToString();
        services.Db.Orders.Add(order);
        services.Outbox.Add(services.Db, new OrderCreated(order.Id, order.UserId, order.CustomerEmail, order.Total, order.Currency,
            items.Select(i => new OrderLine(i.ProductId, i.ProductName, i.Quantity, i.UnitPrice)).ToList()));
        var location = $"/order/status/{order.Id}";
        var accepted = new OrderAccepted(order.Id, order.Status);
        if (idempotencyRecord is not null)
            services.Idempotency.Complete(idempotencyRecord, StatusCodes.Status202Accepted, location, JsonSerializer.Serialize(accepted, JsonSerializerOptions.Web));
        await services.Db.SaveUnitOfWorkAsync(cancellationToken);

        services.Loggers.CreateLogger(LogCategory).LogDebug(
            "Order {OrderId} stored as pending ({Total} {Currency}, {Lines} line(s)); order.created queued",
            order.Id, order.Total, order.Currency, items.Count);
        return TypedResults.Accepted(location, accepted);
    }

    /// <summary>
    /// The order's status. With <c>?waitSeconds=N</c> (at most 30) a pending order's answer is held until it
    /// leaves pending or the time is up: one request instead of a polling loop. Someone else's order is 404.
    /// </summary>
    public static async Task<Results<Ok<OrderStatusDto>, ProblemHttpResult, ValidationProblem>> GetStatus(
        Guid id, int? waitSeconds, ClaimsPrincipal caller, OrdersDbContext db, OrderChangeWatch watch, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (waitSeconds is < 0 or > MaxStatusWaitSeconds)
            return ValidationErrors.Single("waitSeconds", $"waitSeconds is between 0 and {MaxStatusWaitSeconds}.");
        var deadline = clock.GetUtcNow().AddSeconds(waitSeconds ?? 0);
        using var watcher = waitSeconds is > 0 ? watch.Watch(id, untilSettled: true) : null;
        while (true)
        {
            // Armed before the read, so a change committed in between still wakes this request.
            watcher?.Arm();
            var order = Visible(await StatusOf.For(db)(db, id, cancellationToken), caller);
            var remaining = deadline - clock.GetUtcNow();
            if (order is null || order.Status != OrderStatus.Pending || remaining <= TimeSpan.Zero)
                return order is null
                    ? Problems.NotFound($"Order {id} does not exist.")
                    : TypedResults.Ok(new OrderStatusDto(order.Id, order.Status, order.StatusMessage));
            var recheck = watch.Recheck;
            await Task.WhenAny(watcher!.Changed, Task.Delay(remaining < recheck ? remaining : recheck, clock, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            // This instance committed the step that settled it: the answer is known without reading the order again.
            if (watcher.Settled is { } settled)
                return TypedResults.Ok(new OrderStatusDto(order.Id, settled.Status, settled.Message));
        }
    }

    // Every order's long poll reads it at least once.
    private static readonly CompiledPerModel<Func<OrdersDbContext, Guid, CancellationToken, Task<Order?>>> StatusOf = new(() => EF.CompileAsyncQuery(
        (OrdersDbContext db, Guid id, CancellationToken _) => db.Orders.AsNoTracking().IgnoreAutoIncludes().FirstOrDefault(o => o.Id == id)));

    // By name: CreateLogger(Type) formats the type's display name on every call, once per order in the profile.
    private static readonly string LogCategory = typeof(OrdersApi).FullName!;

    private const int MaxStatusWaitSeconds = 30;

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

    /// <summary>
    /// The caller's orders, newest first (at most <c>limit</c>, 100 by default), of one <c>status</c> if given. An admin
    /// may ask for anyone's with <c>?userId=</c>, or for everyone's with <c>?all=true</c> (the operator's console).
    /// </summary>
    public static async Task<Results<Ok<List<OrderDto>>, ValidationProblem, ProblemHttpResult>> ListOrders(
        Guid? userId, string? status, bool? all, int? limit, ClaimsPrincipal caller, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (status is not null && !OrderStatus.All.Contains(status))
            errors.Add("status", $"status is one of {string.Join(", ", OrderStatus.All)}.");
        if (limit is < 1 or > MaxListed)
            errors.Add("limit", $"limit is between 1 and {MaxListed}.");
        if (errors.Any)
            return errors.ToResult();
        if (all == true && !caller.IsAdmin())
            return TypedResults.Problem("Every customer's orders are for administrators.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        var orders = db.Orders.AsNoTracking();
        if (all != true)
        {
            var customer = caller.IsAdmin() && userId is not null ? userId.Value : caller.UserId();
            orders = orders.Where(o => o.UserId == customer);
        }
        if (status is not null)
            orders = orders.Where(o => o.Status == status);
        var listed = await orders.OrderByDescending(o => o.CreatedAt).Take(limit ?? MaxListed).ToListAsync(cancellationToken);
        return TypedResults.Ok(listed.Select(o => OrderDto.From(o)).ToList());
    }

    private const int MaxListed = 100;

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
