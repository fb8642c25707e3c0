using Microsoft.Extensions.Logging;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Clients;
using OrderX.Orders.Data;
using OrderX.Orders.Idempotency;

namespace OrderX.Orders.Apis;

/// <summary>What placing an order uses, bound in one piece (<c>[AsParameters]</c>).</summary>
public sealed record PlaceOrderServices(
    OrdersDbContext Db,
    ProductCatalog Catalog,
    OutboxWriter Outbox,
    IdempotencyStore Idempotency,
    TimeProvider Clock,
    ILoggerFactory Loggers);
