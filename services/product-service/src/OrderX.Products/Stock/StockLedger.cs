using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Products.Data;

namespace OrderX.Products.Stock;

/// <summary>
/// Moves stock for orders with conditional set-based updates (<c>… WHERE stock - reserved &gt;= n</c>) inside the
/// handler's transaction, so concurrent orders on any number of product-service instances can never oversell:
/// the database serialises writers of one product row and re-checks the condition for the later one.
/// The caller saves and commits (the inbox dispatcher does, with the inbox row).
/// </summary>
public sealed class StockLedger(ProductsDbContext db, TimeProvider clock) : ISubjectStatePreload
{
    // Orders whose reservation, or its absence, this context already knows from a batch's preload.
    private readonly HashSet<Guid> _known = [];

    /// <summary>
    /// For a consumer batch: the reservations of all its orders in one query. The ledger then reads them, and learns
    /// that an order has none, from the context, where a reservation added earlier in the batch is seen too.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        await db.Reservations.Where(r => orderIds.Contains(r.OrderId)).LoadAsync(cancellationToken);
        _known.UnionWith(orderIds);
    }

    /// <summary>Reserves every line or none. Null when the order was already handled (or cancelled first).</summary>
    public async Task<StockOutcome?> ReserveAsync(Guid orderId, IReadOnlyList<StockLine> lines, CancellationToken cancellationToken)
    {
        if (_known.Contains(orderId) ? Tracked(orderId) is not null : await db.Reservations.AnyAsync(r => r.OrderId == orderId, cancellationToken))
            return null;
        await BeginAsync(cancellationToken);
        var now = Now;
        var merged = Merge(lines);
        var taken = new List<StockLine>();
        foreach (var line in merged)
        {
            var updated = await db.Products
                .Where(p => p.Id == line.ProductId && p.DeletedAt == null && p.Stock - p.Reserved >= line.Quantity)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.Reserved, p => p.Reserved + line.Quantity)
                    .SetProperty(p => p.Version, p => p.Version + 1)
                    .SetProperty(p => p.UpdatedAt, now), cancellationToken);
            if (updated == 0)
                break;
            taken.Add(line);
        }

        if (taken.Count == merged.Count)
        {
            db.Reservations.Add(NewReservation(orderId, ReservationStatus.Reserved, merged, now));
            return StockOutcome.Reserved(merged);
        }
        // All or nothing: give back what this transaction took before the line that failed.
        foreach (var line in taken)
            await MoveAsync(line, reservedBy: -line.Quantity, stockBy: 0, now, cancellationToken);
        var shortages = await ShortagesAsync(merged, cancellationToken);
        db.Reservations.Add(NewReservation(orderId, ReservationStatus.Rejected, merged, now));
        return StockOutcome.Rejected(shortages);
    }

    /// <summary>The order is paid: its reservation leaves the shelf. False when there was nothing reserved to sell.</summary>
    public async Task<bool> SellAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var reservation = await ReservationAsync(orderId, cancellationToken);
        if (reservation?.Status != ReservationStatus.Reserved)
            return false;
        await BeginAsync(cancellationToken);
        foreach (var line in reservation.Lines)
            await MoveAsync(new StockLine(line.ProductId, line.Quantity), reservedBy: -line.Quantity, stockBy: -line.Quantity, Now, cancellationToken);
        Mark(reservation, ReservationStatus.Sold);
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
        await BeginAsync(cancellationToken);
        var lines = reservation.Lines.Select(l => new StockLine(l.ProductId, l.Quantity)).ToList();
        foreach (var line in lines)
            await MoveAsync(line, reservedBy: -line.Quantity, stockBy: 0, Now, cancellationToken);
        Mark(reservation, ReservationStatus.Released);
        return lines;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<StockReservation?> ReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        _known.Contains(orderId) ? Tracked(orderId) : await db.Reservations.FirstOrDefaultAsync(r => r.OrderId == orderId, cancellationToken);

    private StockReservation? Tracked(Guid orderId) => db.Reservations.Local.FindEntry(orderId)?.Entity;

    private async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            await db.Database.BeginTransactionAsync(cancellationToken);
    }

    private Task<int> MoveAsync(StockLine line, int reservedBy, int stockBy, DateTime now, CancellationToken cancellationToken) =>
        db.Products.Where(p => p.Id == line.ProductId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Reserved, p => p.Reserved + reservedBy)
            .SetProperty(p => p.Stock, p => p.Stock + stockBy)
            .SetProperty(p => p.Version, p => p.Version + 1)
            .SetProperty(p => p.UpdatedAt, now), cancellationToken);

    private async Task<List<StockShortage>> ShortagesAsync(IReadOnlyList<StockLine> lines, CancellationToken cancellationToken)
    {
        var ids = lines.Select(l => l.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var shortages = new List<StockShortage>();
        foreach (var line in lines)
        {
            if (!products.TryGetValue(line.ProductId, out var product) || product.DeletedAt is not null)
                shortages.Add(new StockShortage(line.ProductId, line.Quantity, 0, "The product is no longer sold."));
            else if (product.Available < line.Quantity)
                shortages.Add(new StockShortage(line.ProductId, line.Quantity, Math.Max(product.Available, 0),
                    $"Only {Math.Max(product.Available, 0)} of {product.Name} left; {line.Quantity} requested."));
        }
        return shortages;
    }

    // Sorted by product id so that two orders touching the same products lock them in the same order (no deadlock).
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

    private void Mark(StockReservation reservation, string status)
    {
        reservation.Status = status;
        reservation.UpdatedAt = Now;
    }
}
