using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Products.Data;

namespace OrderX.Products.Stock;

/// <summary>
/// Moves stock for orders inside the handler's transaction, so concurrent orders on any number of product-service
/// instances can never oversell: the products an order moves are locked first (<c>SELECT … FOR UPDATE</c> on
/// PostgreSQL; on SQLite the transaction holds the database's write lock from its start), and the reservation is then
/// decided from what the locked rows say and written by the save. A consumer batch locks every product it names in one
/// statement, in key order, so two batches never wait on each other in a circle; a batch that moves one product many
/// times writes it once. The caller saves and commits (the inbox dispatcher does, with the inbox row).
/// </summary>
public sealed class StockLedger(ProductsDbContext db, TimeProvider clock)
{
    // Orders whose reservation, or its absence, this context already knows from a batch's preload.
    private readonly HashSet<Guid> _known = [];

    // Products this transaction has locked; null for an id no product has.
    private readonly Dictionary<Guid, Product?> _locked = [];

    // Taken once and kept: every read of DbSet.Local first scans the whole context for changes, while the view itself
    // stays current with what the context tracks (ChargedOrders says what the profile measured).
    private LocalView<StockReservation>? _tracked;

    private LocalView<StockReservation> TrackedReservations => _tracked ??= db.Reservations.Local;

    /// <summary>
    /// For a consumer batch: the reservations of all its orders in one query, then every product the batch can move
    /// (those <paramref name="orderedProductIds"/> names and those the open reservations hold) locked in one statement.
    /// The ledger then reads reservations, and learns that an order has none, from the context, where a reservation
    /// added earlier in the batch is seen too.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyList<Guid> orderIds, IEnumerable<Guid> orderedProductIds, CancellationToken cancellationToken)
    {
        if (orderIds.Count > 0)
        {
            await ReservationsOf.For(db)(db, orderIds).LoadAsync(cancellationToken);
            _known.UnionWith(orderIds);
        }
        var reservedProductIds = TrackedReservations
            .Where(r => r.Status == ReservationStatus.Reserved)
            .SelectMany(r => r.Lines.Select(l => l.ProductId));
        await LockAsync(orderedProductIds.Concat(reservedProductIds), cancellationToken);
    }

    /// <summary>Reserves every line or none. Null when the order was already handled (or cancelled first).</summary>
    public async Task<StockOutcome?> ReserveAsync(Guid orderId, IReadOnlyList<StockLine> lines, CancellationToken cancellationToken)
    {
        var merged = Merge(lines);
        var productIds = merged.Select(l => l.ProductId).ToList();
        if (_known.Contains(orderId))
        {
            if (Tracked(orderId) is not null)
                return null;
            await LockAsync(productIds, cancellationToken);
        }
        // Outside a batch the order's reservation is looked for by the lock itself: its statement locks nothing if
        // there is one. Only when it did not lock every product is the reservation asked for on its own, and then
        // what is left to lock (a product without a row stays missing).
        else if (!await LockUnlessReservedAsync(orderId, productIds, cancellationToken))
        {
            if (await AnyReservationOf.For(db)(db, orderId, cancellationToken))
                return null;
            await LockAsync(productIds, cancellationToken);
        }
        var now = Now;
        var shortages = Shortages(merged);
        if (shortages.Count == 0)
        {
            foreach (var line in merged)
                Move(line.ProductId, reservedBy: line.Quantity, stockBy: 0, now);
            db.Reservations.Add(NewReservation(orderId, ReservationStatus.Reserved, merged, now));
            return StockOutcome.Reserved(merged);
        }
        db.Reservations.Add(NewReservation(orderId, ReservationStatus.Rejected, merged, now));
        return StockOutcome.Rejected(shortages);
    }

    /// <summary>The order is paid: its reservation leaves the shelf. False when there was nothing reserved to sell.</summary>
    public async Task<bool> SellAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var reservation = await ReservationAsync(orderId, cancellationToken);
        if (reservation?.Status != ReservationStatus.Reserved)
            return false;
        await LockAsync(reservation.Lines.Select(l => l.ProductId), cancellationToken);
        var now = Now;
        foreach (var line in reservation.Lines)
            Move(line.ProductId, reservedBy: -line.Quantity, stockBy: -line.Quantity, now);
        Mark(reservation, ReservationStatus.Sold, now);
        return true;
    }

    /// <summary>
    /// The order is cancelled: a reservation goes back to the shelf and its lines are returned. With no reservation
    /// yet, a tombstone stops the order's stock from ever being reserved. Null when there was nothing to release.
    /// </summary>
    public async Task<IReadOnlyList<StockLine>?> ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var reservation = await ReservationAsync(orderId, cancellationToken);
        if (reservation is null)
        {
            db.Reservations.Add(NewReservation(orderId, ReservationStatus.Cancelled, [], Now));
            return null;
        }
        if (reservation.Status != ReservationStatus.Reserved)
            return null;
        var lines = reservation.Lines.Select(l => new StockLine(l.ProductId, l.Quantity)).ToList();
        await LockAsync(lines.Select(l => l.ProductId), cancellationToken);
        var now = Now;
        foreach (var line in lines)
            Move(line.ProductId, reservedBy: -line.Quantity, stockBy: 0, now);
        Mark(reservation, ReservationStatus.Released, now);
        return lines;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<StockReservation?> ReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        _known.Contains(orderId) ? Tracked(orderId) : await ReservationOf.For(db)(db, orderId, cancellationToken);

    private static readonly CompiledPerModel<Func<ProductsDbContext, Guid[], IAsyncEnumerable<Product>>> ProductsAmong = new(() => EF.CompileAsyncQuery(
        (ProductsDbContext db, Guid[] ids) => db.Products.Where(p => ids.Contains(p.Id))));

    private static readonly CompiledPerModel<Func<ProductsDbContext, Guid[], Guid, IAsyncEnumerable<Product>>> ProductsAmongUnlessReserved = new(() => EF.CompileAsyncQuery(
        (ProductsDbContext db, Guid[] ids, Guid orderId) => db.Products.Where(p => ids.Contains(p.Id) && !db.Reservations.Any(r => r.OrderId == orderId))));

    private static readonly CompiledPerModel<Func<ProductsDbContext, IReadOnlyList<Guid>, IAsyncEnumerable<StockReservation>>> ReservationsOf = new(() => EF.CompileAsyncQuery(
        (ProductsDbContext db, IReadOnlyList<Guid> orderIds) => db.Reservations.Where(r => orderIds.Contains(r.OrderId))));

    private static readonly CompiledPerModel<Func<ProductsDbContext, Guid, CancellationToken, Task<bool>>> AnyReservationOf = new(() => EF.CompileAsyncQuery(
        (ProductsDbContext db, Guid orderId, CancellationToken _) => db.Reservations.Any(r => r.OrderId == orderId)));

    private static readonly CompiledPerModel<Func<ProductsDbContext, Guid, CancellationToken, Task<StockReservation?>>> ReservationOf = new(() => EF.CompileAsyncQuery(
        (ProductsDbContext db, Guid orderId, CancellationToken _) => db.Reservations.FirstOrDefault(r => r.OrderId == orderId)));

    private StockReservation? Tracked(Guid orderId) => TrackedReservations.FindEntry(orderId)?.Entity;

    /// <summary>
    /// Locks the products not yet locked by this transaction, in key order, and keeps them tracked: the moves change
    /// them in the context, and the save writes each once (its version, the concurrency token, checked as well).
    /// </summary>
    private async Task LockAsync(IEnumerable<Guid> productIds, CancellationToken cancellationToken)
    {
        var ids = Unlocked(productIds);
        if (ids.Length == 0)
            return;
        await BeginAsync(ids, cancellationToken);
        // EF Core compiles no raw SQL: PostgreSQL's lock stays a query of its own.
        var locked = db.IsPostgres()
            ? db.Products.FromSql($"SELECT * FROM products WHERE \"Id\" = ANY({ids}) ORDER BY \"Id\" FOR UPDATE").AsAsyncEnumerable()
            : ProductsAmong.For(db)(db, ids);
        await TakeAsync(locked, cancellationToken);
    }

    /// <summary>
    /// The same lock, in the same statement, only while the order has no reservation (nor a cancellation's tombstone):
    /// one round trip where a look-up and then the lock took two. True when every product was locked, so the order has
    /// none; false when it has one (nothing is locked), a product has no row, or there was nothing left to lock: the
    /// caller then asks which, and the products not locked here are left unlocked for it.
    /// </summary>
    private async Task<bool> LockUnlessReservedAsync(Guid orderId, IReadOnlyList<Guid> productIds, CancellationToken cancellationToken)
    {
        var ids = Unlocked(productIds);
        if (ids.Length == 0)
            return false;
        await BeginAsync(ids, cancellationToken);
        var locked = db.IsPostgres()
            ? db.Products.FromSql($"""
                SELECT * FROM products WHERE "Id" = ANY({ids})
                AND NOT EXISTS (SELECT 1 FROM stock_reservations WHERE "OrderId" = {orderId}) ORDER BY "Id" FOR UPDATE
                """).AsAsyncEnumerable()
            : ProductsAmongUnlessReserved.For(db)(db, ids, orderId);
        await TakeAsync(locked, cancellationToken);
        if (productIds.All(id => _locked[id] is not null))
            return true;
        foreach (var id in ids.Where(id => _locked[id] is null))
            _locked.Remove(id);
        return false;
    }

    private Guid[] Unlocked(IEnumerable<Guid> productIds) => productIds.Where(id => !_locked.ContainsKey(id)).Distinct().Order().ToArray();

    private async Task BeginAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var id in ids)
            _locked[id] = null;
    }

    private async Task TakeAsync(IAsyncEnumerable<Product> locked, CancellationToken cancellationToken)
    {
        await foreach (var product in locked.WithCancellation(cancellationToken))
            _locked[product.Id] = product;
    }

    private List<StockShortage> Shortages(IReadOnlyList<StockLine> lines)
    {
        var shortages = new List<StockShortage>();
        foreach (var line in lines)
        {
            if (_locked[line.ProductId] is not { DeletedAt: null } product)
                shortages.Add(new StockShortage(line.ProductId, line.Quantity, 0, "The product is no longer sold."));
            else if (product.Available < line.Quantity)
                shortages.Add(new StockShortage(line.ProductId, line.Quantity, Math.Max(product.Available, 0),
                    $"Only {Math.Max(product.Available, 0)} of {product.Name} left; {line.Quantity} requested."));
        }
        return shortages;
    }

    // A reservation's product is never deleted from the table (deleting only hides it), so a locked line has its row.
    private void Move(Guid productId, int reservedBy, int stockBy, DateTime now)
    {
        var product = _locked[productId] ?? throw new InvalidOperationException($"Product {productId} has stock reserved but no row.");
        product.Reserved += reservedBy;
        product.Stock += stockBy;
        product.Version++;
        product.UpdatedAt = now;
    }

    // One line per product, in key order: the order's events list its lines the same way every time (LockAsync sorts the
    // locks itself).
    private static List<StockLine> Merge(IEnumerable<StockLine> lines) =>
        lines.GroupBy(l => l.ProductId)
            .Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity)))
            .OrderBy(l => l.ProductId)
            .ToList();

    private static StockReservation NewReservation(Guid orderId, string status, IEnumerable<StockLine> lines, DateTime now) => new()
    {
        OrderId = orderId,
        Status = status,
        CreatedAt = now,
        UpdatedAt = now,
        Lines = lines.Select(l => new StockReservationLine { OrderId = orderId, ProductId = l.ProductId, Quantity = l.Quantity }).ToList(),
    };

    private static void Mark(StockReservation reservation, string status, DateTime now)
    {
        reservation.Status = status;
        reservation.UpdatedAt = now;
    }
}
